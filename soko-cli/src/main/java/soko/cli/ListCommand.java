package soko.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.ModelCheck;

@Command(name = "list", aliases = "ls", header = "Show the installed models, their files and their state.",
    description = "Reads verification records and file sizes and times; never hashes (`soko verify --full` does).")
final class ListCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Override
  public Integer call() throws Exception {
    List<ModelCheck> checks = root.soko().list();
    if (root.global.json) {
      root.out.print(Reports.modelsJson(checks));
    } else {
      root.out.print(Render.models(checks, true));
    }
    return ExitCode.OK;
  }
}
