package soko.store;

/**
 * Bytes used, counting shared blobs once.
 *
 * @param models blobs referenced by installed models
 * @param cache everything in the cache root, partial downloads included
 * @param partialDownloads resumable partial downloads in the cache
 * @param orphans what {@code soko gc} frees: blobs no installed model or install in progress uses,
 *     links and other non-regular files in the blob folders, and quarantined files
 * @param free usable bytes left on the data root's file system
 * @param pinned blobs kept for installs in progress (pinned by a running process), not yet
 *     installed models and not orphans
 */
public record StorageUse(long models, int modelBlobs, long cache, long partialDownloads, int partialCount,
    long orphans, int orphanCount, long free, long cacheFree, long pinned, int pinnedCount) {
  /** Storage use with nothing pinned. */
  public StorageUse(long models, int modelBlobs, long cache, long partialDownloads, int partialCount, long orphans,
      int orphanCount, long free, long cacheFree) {
    this(models, modelBlobs, cache, partialDownloads, partialCount, orphans, orphanCount, free, cacheFree, 0, 0);
  }
}
