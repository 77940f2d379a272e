package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.BudgetReports;
import soko.store.InstalledModel;

@Command(name = "rollback", header = "Switch a model back to the version an update replaced.",
    description = {"Verifies the previous version's files first; the switch is one atomic rename.",
        "The version left becomes the previous one, so a second rollback goes forward again.",
        "Exits 3 when a file of the previous version does not verify (nothing changes)."})
final class RollbackCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME", description = "An installed model updated with `soko update`.")
  String name;

  @Override
  public Integer call() throws Exception {
    InstalledModel now = root.soko().rollback(name);
    if (root.global.json) {
      root.out.print(BudgetReports.rollbackJson(root.soko(), now));
    } else {
      root.out.println("rolled " + Display.safe(name) + " back to " + Display.safe(now.manifest().version().text())
          + " (verified)");
    }
    return ExitCode.OK;
  }
}
