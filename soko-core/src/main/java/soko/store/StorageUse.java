package soko.store;

/**
 * Bytes used, counting shared blobs once. Every size is in bytes, every count a number of files.
 * Immutable and thread-safe.
 *
 * @param models blobs referenced by installed models
 * @param modelBlobs how many blobs that is
 * @param cache everything in the cache root, partial downloads included
 * @param partialDownloads resumable partial downloads in the cache
 * @param partialCount how many partial downloads there are
 * @param orphans what {@code soko gc} frees: blobs no installed model or install in progress uses,
 *     links and other non-regular files in the blob folders, and quarantined files
 * @param orphanCount how many orphaned files there are
 * @param free usable bytes left on the data root's file system
 * @param cacheFree usable bytes left on the cache root's file system
 * @param pinned blobs kept for installs in progress (pinned by a running process), not yet
 *     installed models and not orphans
 * @param pinnedCount how many blobs are pinned
 */
public record StorageUse(long models, int modelBlobs, long cache, long partialDownloads, int partialCount,
    long orphans, int orphanCount, long free, long cacheFree, long pinned, int pinnedCount) {
  /**
   * Storage use with nothing pinned.
   *
   * @param models bytes of blobs referenced by installed models
   * @param modelBlobs how many blobs that is
   * @param cache bytes in the cache root
   * @param partialDownloads bytes of partial downloads
   * @param partialCount how many partial downloads there are
   * @param orphans bytes {@code soko gc} frees
   * @param orphanCount how many orphaned files there are
   * @param free usable bytes on the data root's file system
   * @param cacheFree usable bytes on the cache root's file system
   */
  public StorageUse(long models, int modelBlobs, long cache, long partialDownloads, int partialCount, long orphans,
      int orphanCount, long free, long cacheFree) {
    this(models, modelBlobs, cache, partialDownloads, partialCount, orphans, orphanCount, free, cacheFree, 0, 0);
  }
}
