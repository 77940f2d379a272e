package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import soko.app.BudgetReports;
import soko.app.Outdated;

@Command(name = "outdated", header = "List installed models whose catalog has a newer version.",
    description = {"Uses the catalogs as last fetched (`soko catalog update` fetches them again); no network.",
        "Also lists aliases whose model in use is no longer the one recommended for this computer.",
        "`soko update NAME` installs the newer version; `soko rollback NAME` goes back."})
final class OutdatedCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Override
  public Integer call() throws Exception {
    Outdated r = root.soko().outdated();
    if (root.global.json) {
      root.out.print(BudgetReports.outdatedJson(r));
      return ExitCode.OK;
    }
    if (r.updates().isEmpty() && r.betterPicks().isEmpty()) {
      root.out.println("every installed model is up to date");
      return ExitCode.OK;
    }
    for (Outdated.Update u : r.updates()) {
      root.out.println(Display.safe(u.name()) + " " + Display.safe(u.installedVersion()) + " -> "
          + Display.safe(u.newVersion()) + ", download " + Format.bytes(u.downloadBytes())
          + (u.licenseChanged() ? ", licence changes from " + Display.safe(u.installedLicense()) + " to "
              + Display.safe(u.newLicense()) : ""));
    }
    for (Outdated.BetterPick p : r.betterPicks()) {
      root.out.println(Display.safe(p.alias()) + ": runs " + Display.safe(p.installed()) + "; recommended for this computer: "
          + Display.safe(p.recommended()) + " (" + Display.safe(p.reason()) + "); `soko update " + Display.safe(p.alias())
          + "` installs it");
    }
    return ExitCode.OK;
  }
}
