package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import soko.app.BudgetReports;
import soko.app.Outdated;

@Command(name = "outdated", header = "List installed models whose catalog has a newer version.",
    description = {"Uses the catalogs as last fetched (`soko catalog update` fetches them again); no network.",
        "Ends with when each remote catalog was last fetched.",
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
      printCatalogAges(r);
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
    printCatalogAges(r);
    return ExitCode.OK;
  }

  /** How old each remote catalog is: the answers above are no newer than it. */
  private void printCatalogAges(Outdated r) {
    for (Outdated.CatalogAge c : r.catalogs()) {
      if (c.fetchedAt().isEmpty()) {
        root.out.println("catalog " + Display.safe(c.catalogId()) + " was never fetched: run `soko catalog update`");
      } else {
        root.out.println("catalog " + Display.safe(c.catalogId()) + " as fetched "
            + c.fetchedAt().get().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (" + ago(c.age().orElseThrow())
            + "); `soko catalog update` fetches it again");
      }
    }
  }

  /** An age in words: {@code just now}, {@code 5 minutes ago}, {@code 3 hours ago}, {@code 12 days ago}. */
  static String ago(java.time.Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return "just now";
    }
    long n;
    String unit;
    if (s < 3600) {
      n = s / 60;
      unit = "minute";
    } else if (s < 86_400) {
      n = s / 3600;
      unit = "hour";
    } else {
      n = s / 86_400;
      unit = "day";
    }
    return n + " " + unit + (n == 1 ? "" : "s") + " ago";
  }
}
