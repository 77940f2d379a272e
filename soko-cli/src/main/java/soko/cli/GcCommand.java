package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.GcReport;

@Command(name = "gc", header = "Remove the stored files no installed model uses.",
    description = "Orphaned files, corrupt copies set aside by a repair, and stale temporary files.")
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
      r.notices().forEach(n -> root.out.println(Display.safe(n)));
      root.out.println((dryRun ? "would free " : "freed ") + Format.bytes(r.bytesFreed()));
    }
    return ExitCode.OK;
  }
}
