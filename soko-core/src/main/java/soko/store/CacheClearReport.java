package soko.store;

import java.util.List;

/**
 * What clearing the cache removed (or would remove). Links are removed as links; their targets
 * are never touched. A file with other hard links frees no space, so it is not counted in
 * {@code bytesFreed}. Immutable and thread-safe.
 *
 * @param dryRun true when nothing was removed and the figures say what would be
 * @param filesRemoved how many files (and links) were removed
 * @param bytesFreed the disk space freed, in bytes
 * @param partialDownloads how many resumable partial downloads were among them
 * @param partialBytes the bytes of those partial downloads
 * @param skipped what was left in place, one line each with the reason (such as a download in
 *     progress); copied
 */
public record CacheClearReport(boolean dryRun, long filesRemoved, long bytesFreed, int partialDownloads,
    long partialBytes, List<String> skipped) {
  /** Copies the list. */
  public CacheClearReport {
    skipped = List.copyOf(skipped);
  }
}
