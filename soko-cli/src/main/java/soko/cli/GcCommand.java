package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.GcReport;

@Command(name = "gc", description = "Remove stored files no installed model references (orphans, quarantined corrupt files, stale temp files).")
final class GcCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Option(names = "--dry-run", description = "Show what would be removed.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    GcReport r = root.soko().gc(dryRun);
    if (root.global.json) {
      root.out.print(Reports.gcJson(r));
    } else {
      r.removed().forEach(p -> root.out.println((dryRun ? "would remove " : "removed ") + Display.safe(p)));
      root.out.println((dryRun ? "would free " : "freed ") + Format.bytes(r.bytesFreed()));
    }
    return ExitCode.OK;
  }
}
