package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.GcReport;

@Command(name = "rm", aliases = "remove", description = "Uninstall a model and free the files no other model uses.")
final class RemoveCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME")
  String name;

  @Override
  public Integer call() throws Exception {
    GcReport r = root.soko().remove(name);
    if (root.global.json) {
      root.out.print(Reports.gcJson(r));
    } else {
      r.notices().forEach(root.out::println);
      root.out.println("removed " + name + ", freed " + Format.bytes(r.bytesFreed()));
    }
    return ExitCode.OK;
  }
}
