package soko.store;

import java.util.List;

/**
 * What {@code gc} or {@code rm} removed (or, for a dry run, would remove). Immutable and
 * thread-safe.
 *
 * @param dryRun true when nothing was removed and the report says what would be
 * @param removed the paths deleted (copied)
 * @param bytesFreed the disk space freed, in bytes
 * @param notices what else was done, one line each: an interrupted removal finished, the pin of a
 *     process that is gone released, a link found inside the store moved aside
 */
public record GcReport(boolean dryRun, List<String> removed, long bytesFreed, List<String> notices) {
  /** Copies the lists. */
  public GcReport {
    removed = List.copyOf(removed);
    notices = List.copyOf(notices);
  }

  /**
   * A report with no notices.
   *
   * @param dryRun true for a dry run
   * @param removed the paths deleted
   * @param bytesFreed the disk space freed, in bytes
   */
  public GcReport(boolean dryRun, List<String> removed, long bytesFreed) {
    this(dryRun, removed, bytesFreed, List.of());
  }
}
