package soko.acquisition.oci;

import soko.verification.Digest;

/**
 * Progress of blob transfers. Per blob, events follow the grammar
 * {@code ( skipped | started ( progressed* restarted? )+ )}: {@code restarted} means the bytes
 * received so far were thrown away (the server ignored a Range, or a resume point was wrong).
 *
 * <p>Listeners are called on the transferring thread; they must be fast, must not block, and
 * must not throw.
 */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  /** A transfer begins, or resumes at {@code offset}. */
  default void started(Digest blob, long offset, long size) {}

  /** {@code done} of {@code size} bytes are transferred. */
  default void progressed(Digest blob, long done, long size) {}

  /** Bytes already transferred were discarded, for {@code reason}. */
  default void restarted(Digest blob, String reason) {}

  /** Nothing to transfer: the registry already has the blob, or mounted it. */
  default void skipped(Digest blob, String reason) {}
}
