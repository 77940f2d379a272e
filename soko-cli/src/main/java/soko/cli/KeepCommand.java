package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "keep", header = "Mark a model so that the storage budget never evicts it.",
    description = "The mark stays until `soko keep --unset NAME` or the model is removed with `soko rm`.")
final class KeepCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME", description = "An installed model (see `soko list`).")
  String name;

  @Option(names = "--unset", description = "Remove the mark: the budget may evict the model again.")
  boolean unset;

  @Override
  public Integer call() throws Exception {
    root.soko().keep(name, !unset);
    if (root.global.json) {
      root.out.print(soko.app.BudgetReports.keepJson(name, !unset));
    } else {
      root.out.println(unset ? Display.safe(name) + " may be evicted by the budget again"
          : Display.safe(name) + " is kept: the budget never evicts it");
    }
    return ExitCode.OK;
  }
}
