package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Soko;

@Command(name = "install", description = "Install a model by name or from a manifest .json file. Idempotent; repairs a corrupt model.")
final class InstallCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME|MANIFEST.json", description = "A bundled model name or a manifest file.")
  String target;

  @Override
  public Integer call() throws Exception {
    Soko.InstallResult r = root.soko().install(target);
    var m = r.model().manifest();
    if (root.global.json) {
      root.out.print(soko.app.Reports.installJson(r));
    } else if (r.alreadyInstalled()) {
      root.out.println(m.id() + " is already installed and verified");
    } else {
      root.out.println("installed " + m.id() + " (" + r.filesWritten() + " file(s), " + Format.bytes(r.bytesWritten())
          + " written and verified)");
    }
    return ExitCode.OK;
  }
}
