package soko.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.FileState;
import soko.store.ModelCheck;
import soko.store.VerifyMode;

@Command(name = "verify", header = "Check installed models against their sha256.",
    description = {"A file unchanged since it was last verified costs a stat; --full re-hashes every file (a large",
        "file chunk by chunk on every core, against the chunk sha256s recorded when it was proven good; --whole",
        "hashes each file as one stream against its manifest instead).",
        "Exits 3 when a model is corrupt or misses files."})
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME", arity = "0..1", description = "One model (default: all).")
  String name;

  @Option(names = "--full", description = "Re-hash every file, even unchanged ones.")
  boolean full;

  @Option(names = "--whole", description = "With --full: hash each file as one stream, ignoring chunk records.")
  boolean whole;

  @Override
  public Integer call() throws Exception {
    if (whole && !full) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--whole goes with --full: soko verify --full --whole");
    }
    List<ModelCheck> checks = root.soko().verify(Optional.ofNullable(name),
        whole ? VerifyMode.WHOLE : full ? VerifyMode.FULL : VerifyMode.CACHED);
    boolean bad = checks.stream().anyMatch(c -> c.state() != FileState.VERIFIED);
    if (root.global.json) {
      root.out.print(Reports.modelsJson(checks));
    } else {
      root.out.print(Render.models(checks, false));
      for (ModelCheck c : checks) {
        for (String w : c.warnings()) {
          root.err.println("soko: warning: " + c.model().manifest().id() + ": " + w);
        }
        for (String p : c.problems()) {
          root.err.println("soko: " + c.model().manifest().id() + ": " + Display.safe(p) + "; run `soko install "
              + c.model().manifest().name() + "` to repair it");
        }
      }
    }
    return bad ? ExitCode.VERIFICATION : ExitCode.OK;
  }
}
