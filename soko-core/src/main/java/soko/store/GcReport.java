package soko.store;

import java.util.List;

/**
 * What {@code gc} or {@code rm} removed (or, for a dry run, would remove).
 *
 * @param removed the paths deleted
 * @param notices what else was done, one line each: an interrupted removal finished, the pin of a
 *     process that is gone released, a link found inside the store moved aside
 */
public record GcReport(boolean dryRun, List<String> removed, long bytesFreed, List<String> notices) {
  public GcReport {
    removed = List.copyOf(removed);
    notices = List.copyOf(notices);
  }

  /** A report with no notices. */
  public GcReport(boolean dryRun, List<String> removed, long bytesFreed) {
    this(dryRun, removed, bytesFreed, List.of());
  }
}
