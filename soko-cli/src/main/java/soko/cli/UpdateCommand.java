package soko.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.BudgetReports;
import soko.app.DownloadPlan;
import soko.app.Outdated;
import soko.app.Reports;
import soko.app.Soko;

@Command(name = "update", header = "Install newer versions of installed models, keeping the old ones for rollback.",
    description = {"Installs each new version beside the old one and switches the name to it only once it verifies."
        + " The old version stays until `soko gc`, `soko rm` or the budget lets it go; `soko rollback NAME` goes back.",
        "Without NAME, updates every model `soko outdated` lists. An ALIAS installs its better pick for this computer.",
        "Asks before downloading, like `soko pull`; a licence change needs --accept-license naming the new licence."})
final class UpdateCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME|ALIAS", arity = "0..*", description = "Installed models (default: every outdated one).")
  List<String> names = new ArrayList<>();

  @Option(names = "--dry-run", description = "Show what would be downloaded and evicted; change nothing.")
  boolean dryRun;

  @Option(names = {"--yes", "-y"}, description = "Approve the downloads in advance.")
  boolean yes;

  @Option(names = "--accept-license", paramLabel = "SPDX-ID",
      description = "Accept this licence by name (repeatable); needed when an update changes a model's licence.")
  List<String> licenses = new ArrayList<>();

  @Override
  @SuppressWarnings("try") // d is closed early, so the progress line is gone before the result is printed
  public Integer call() throws Exception {
    Soko soko = root.soko();
    List<String> targets = new ArrayList<>(names);
    if (targets.isEmpty()) {
      Outdated o = soko.outdated();
      o.updates().forEach(u -> targets.add(u.name()));
    }
    if (targets.isEmpty()) {
      root.out.println(root.global.json ? "{\"updated\":[]}" : "every installed model is up to date");
      return ExitCode.OK;
    }
    if (dryRun) {
      for (String t : targets) {
        Optional<DownloadPlan> p = soko.updatePlan(t);
        if (root.global.json) {
          root.out.print(p.map(Reports::planJson).orElse(BudgetReports.upToDateJson(t)));
        } else {
          root.out.println(p.map(x -> "would update " + Display.safe(x.summary()))
              .orElse(Display.safe(t) + " is up to date"));
        }
      }
      return ExitCode.OK;
    }
    for (String t : targets) {
      try (Interaction.Download d = new Interaction.Download(root, yes, Set.copyOf(licenses))) {
        Optional<Soko.InstallResult> r;
        try {
          r = soko.update(t, d.consent(), d.progress());
        } catch (Exception e) {
          return d.failed(e);
        }
        d.close();
        if (r.isEmpty()) {
          if (root.global.json) {
            root.out.print(BudgetReports.upToDateJson(t));
          } else {
            root.out.println(Display.safe(t) + " is up to date");
          }
        } else {
          InstallCommand.print(root, r.get(), Optional.empty());
          if (!root.global.json) {
            r.get().evicted().forEach(l -> root.out.println(Display.safe(l)));
          }
        }
      }
    }
    return ExitCode.OK;
  }
}
