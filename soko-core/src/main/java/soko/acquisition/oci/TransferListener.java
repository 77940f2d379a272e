package soko.acquisition.oci;

import soko.verification.Digest;

/**
 * Progress of blob transfers. Per blob, events follow the grammar
 * {@code ( skipped | started ( progressed* restarted? )+ )}: {@code restarted} means the bytes
 * received so far were thrown away (the server ignored a Range, or a resume point was wrong).
 *
 * <p>Listeners are called on the transferring thread; they must be fast, must not block, and
 * must not throw. Blobs transferred in parallel report from several threads at once, so
 * implementations must be thread-safe.
 */
public interface TransferListener {
  /** Ignores every event. */
  TransferListener NONE = new TransferListener() {};

  /**
   * A transfer begins, or resumes at {@code offset}.
   *
   * @param blob the blob's digest
   * @param offset bytes already held, from which the transfer continues; 0 for a fresh start
   * @param size the blob's size in bytes
   */
  default void started(Digest blob, long offset, long size) {}

  /**
   * Bytes were transferred.
   *
   * @param blob the blob's digest
   * @param done bytes of the blob held now, including resumed ones
   * @param size the blob's size in bytes
   */
  default void progressed(Digest blob, long done, long size) {}

  /**
   * Bytes already transferred were discarded.
   *
   * @param blob the blob's digest
   * @param reason one line saying why
   */
  default void restarted(Digest blob, String reason) {}

  /**
   * Nothing to transfer: the registry already has the blob, or mounted it.
   *
   * @param blob the blob's digest
   * @param reason one line saying why, such as {@code "already in the registry"}
   */
  default void skipped(Digest blob, String reason) {}
}
