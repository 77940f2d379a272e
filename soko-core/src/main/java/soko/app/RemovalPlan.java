package soko.app;

import soko.store.InstalledModel;

/**
 * What {@code soko rm NAME} would do, computed without changing anything: the model removed and
 * the stored bytes freed (its blobs that no other installed model uses), and the bytes kept
 * because another model shares them.
 *
 * @param model the installed model that would be removed
 * @param bytesFreed bytes of the blobs only this model uses and that are present
 * @param blobsFreed how many such blobs
 * @param bytesShared bytes of this model's blobs that another installed model also uses, which stay
 */
public record RemovalPlan(InstalledModel model, long bytesFreed, int blobsFreed, long bytesShared) {}
