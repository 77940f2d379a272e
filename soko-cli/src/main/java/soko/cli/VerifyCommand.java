package soko.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.FileState;
import soko.store.ModelCheck;

@Command(name = "verify", description = "Check installed models against their sha256. Unchanged files cost a stat; --full re-hashes. Exit 3 when any model is corrupt or missing files.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME", arity = "0..1", description = "One model (default: all).")
  String name;

  @Option(names = "--full", description = "Re-hash every file, even unchanged ones.")
  boolean full;

  @Override
  public Integer call() throws Exception {
    List<ModelCheck> checks = root.soko().verify(Optional.ofNullable(name), full);
    boolean bad = checks.stream().anyMatch(c -> c.state() != FileState.VERIFIED);
    if (root.global.json) {
      root.out.print(Reports.modelsJson(checks));
    } else {
      root.out.print(Render.models(checks, false));
      for (ModelCheck c : checks) {
        for (String p : c.problems()) {
          root.err.println("soko: " + c.model().manifest().id() + ": " + Display.safe(p) + "; run `soko install "
              + c.model().manifest().name() + "` to repair it");
        }
      }
    }
    return bad ? ExitCode.VERIFICATION : ExitCode.OK;
  }
}
