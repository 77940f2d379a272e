package soko.events;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What happens to one file while it is fetched. Every event names its {@code file} (the file's
 * path inside its model, e.g. {@code weights/model.onnx}), so the events of files fetched in
 * parallel can be told apart.
 *
 * <p>The events of one file follow this grammar (one fetch call, {@code ?} = optional, {@code *}
 * = any number):
 *
 * <pre>
 *   file    := attempt ( RETRYING attempt )* ( DONE | FAILED )
 *   attempt := VERIFYING? ( STARTED PROGRESS* )?
 * </pre>
 *
 * and {@link Notice}s may come anywhere before the DONE or FAILED.
 *
 * <ul>
 *   <li>{@link Verifying} comes before a transfer when bytes kept from an earlier run are
 *       re-hashed, and alone (followed by {@link Done}) when a file already held every byte.
 *   <li>An attempt that fails before the server answers has no {@link Started}.
 *   <li>{@link Started#resumedFrom()} is the offset the transfer continues from; a server that
 *       refuses to resume causes a new {@link Started} with {@code resumedFrom == 0} inside the
 *       same attempt: {@code STARTED PROGRESS* STARTED PROGRESS*}.
 *   <li>Exactly one {@link Done} or {@link Failed} ends a file, and nothing follows it.
 * </ul>
 *
 * <p>Sizes are in bytes. Digests are written {@code sha256:<64 hex>}. Every event is an immutable
 * record, safe to hand to another thread.
 */
public sealed interface TransferEvent
    permits TransferEvent.Started,
        TransferEvent.Progress,
        TransferEvent.Verifying,
        TransferEvent.Retrying,
        TransferEvent.Done,
        TransferEvent.Failed,
        TransferEvent.Notice {

  /**
   * The file this event is about.
   *
   * @return the file's path inside its model, e.g. {@code weights/model.onnx}
   */
  String file();

  /**
   * Bytes start flowing from {@code host}. Immutable.
   *
   * @param file the file's path inside its model
   * @param totalBytes the file's size from the manifest, {@code >= 0}
   * @param resumedFrom bytes kept from earlier runs, 0 for a fresh start; {@code 0..totalBytes}
   * @param host the host and port contacted, e.g. {@code models.example.org}
   */
  record Started(String file, long totalBytes, long resumedFrom, String host) implements TransferEvent {
    /**
     * Checks the event.
     *
     * @throws IllegalArgumentException if {@code totalBytes < 0} or {@code resumedFrom} is outside
     *     {@code 0..totalBytes}
     */
    public Started {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(host, "host");
      requireRange("resumedFrom", resumedFrom, totalBytes);
    }
  }

  /**
   * Bytes arrived. Immutable.
   *
   * @param file the file's path inside its model
   * @param bytesDone bytes of the file present now, including resumed bytes; {@code 0..totalBytes}
   * @param totalBytes the file's size from the manifest, {@code >= 0}
   * @param bytesPerSecond the current transfer rate, 0 when not yet known
   * @param eta the time left at that rate, empty while the rate is unknown
   */
  record Progress(String file, long bytesDone, long totalBytes, long bytesPerSecond, Optional<Duration> eta)
      implements TransferEvent {
    /**
     * Checks the event.
     *
     * @throws IllegalArgumentException if {@code bytesDone} is outside {@code 0..totalBytes} or
     *     {@code bytesPerSecond < 0}
     */
    public Progress {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(eta, "eta");
      requireRange("bytesDone", bytesDone, totalBytes);
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException("bytesPerSecond < 0");
      }
    }
  }

  /**
   * Bytes already on disk are being re-hashed. Immutable.
   *
   * @param file the file's path inside its model
   * @param bytes how many bytes are re-hashed, {@code >= 0}
   */
  record Verifying(String file, long bytes) implements TransferEvent {
    /**
     * Checks the event.
     *
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public Verifying {
      Objects.requireNonNull(file, "file");
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes < 0");
      }
    }
  }

  /**
   * An attempt failed in a way worth retrying; the next attempt starts after {@code delay}.
   * Immutable.
   *
   * @param file the file's path inside its model
   * @param attempt the number of the attempt that failed, from 1
   * @param delay how long the producer waits before the next attempt, {@code >= 0}
   * @param reason one line saying what went wrong
   */
  record Retrying(String file, int attempt, Duration delay, String reason) implements TransferEvent {
    /**
     * Checks the event.
     *
     * @throws IllegalArgumentException if {@code attempt < 1} or {@code delay} is negative
     */
    public Retrying {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(reason, "reason");
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt < 1");
      }
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay < 0");
      }
    }
  }

  /**
   * The file is complete and its size and sha256 match the manifest. Immutable.
   *
   * @param file the file's path inside its model
   * @param sha256 the file's digest, {@code sha256:<64 hex>}
   * @param size the file's size in bytes, {@code >= 0}
   * @param bytesTransferred bytes received over the network during this fetch call (0 when the
   *     file was already complete)
   */
  record Done(String file, String sha256, long size, long bytesTransferred) implements TransferEvent {
    /**
     * Checks the event.
     *
     * @throws IllegalArgumentException if {@code size} or {@code bytesTransferred} is negative
     */
    public Done {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(sha256, "sha256");
      if (size < 0 || bytesTransferred < 0) {
        throw new IllegalArgumentException("size < 0 or bytesTransferred < 0");
      }
    }
  }

  /**
   * The fetch ended without a verified file. Immutable.
   *
   * @param file the file's path inside its model
   * @param reason the one-line error message, which says how to fix the problem
   */
  record Failed(String file, String reason) implements TransferEvent {
    /** Checks that no component is {@code null}. */
    public Failed {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Something the user should know that does not stop the fetch, such as a foreign entry moved
   * aside from the downloads folder, or a wait for another process.
   *
   * Immutable.
   *
   * @param file the file's path inside its model
   * @param message one line for the user
   */
  record Notice(String file, String message) implements TransferEvent {
    /** Checks that no component is {@code null}. */
    public Notice {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(message, "message");
    }
  }

  private static void requireRange(String name, long value, long total) {
    if (total < 0) {
      throw new IllegalArgumentException("totalBytes < 0");
    }
    if (value < 0 || value > total) {
      throw new IllegalArgumentException(name + " " + value + " is outside 0.." + total);
    }
  }
}
