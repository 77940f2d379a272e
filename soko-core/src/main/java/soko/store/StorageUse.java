package soko.store;

/**
 * Bytes used, counting shared blobs once.
 *
 * @param models blobs referenced by installed models
 * @param cache everything in the cache root, partial downloads included
 * @param partialDownloads resumable partial downloads in the cache
 * @param orphans blobs no installed model references, and quarantined corrupt files
 * @param free usable bytes left on the data root's file system
 */
public record StorageUse(long models, int modelBlobs, long cache, long partialDownloads, int partialCount,
    long orphans, int orphanCount, long free, long cacheFree) {}
