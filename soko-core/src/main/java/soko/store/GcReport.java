package soko.store;

import java.util.List;

/** What {@code gc} removed (or, for a dry run, would remove). */
public record GcReport(boolean dryRun, List<String> removed, long bytesFreed) {
  public GcReport {
    removed = List.copyOf(removed);
  }
}
