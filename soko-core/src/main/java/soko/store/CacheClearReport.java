package soko.store;

import java.util.List;

/**
 * What clearing the cache removed (or would remove). Links are removed as links; their targets
 * are never touched. A file with other hard links frees no space, so it is not counted in
 * {@code bytesFreed}.
 *
 * @param partialDownloads how many resumable partial downloads were among them
 */
public record CacheClearReport(boolean dryRun, long filesRemoved, long bytesFreed, int partialDownloads,
    long partialBytes, List<String> skipped) {
  public CacheClearReport {
    skipped = List.copyOf(skipped);
  }
}
