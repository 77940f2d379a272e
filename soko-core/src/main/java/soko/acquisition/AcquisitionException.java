package soko.acquisition;

import org.jspecify.annotations.Nullable;

/**
 * A file could not be fetched. The message is one line: the file, what went wrong (with the URL,
 * the numbers expected and found) and what to do.
 *
 * <p>{@link #isRetryWorthy()} says whether trying the same thing again later may succeed (a
 * network failure, a 503), as opposed to a problem that repeats (a 404, bytes that do not match
 * the manifest, a full disk).
 *
 * <p>Immutable once thrown. Only this package makes them; callers catch and read them.
 */
public abstract sealed class AcquisitionException extends soko.SokoException
    permits TransferException,
        ContentMismatchException,
        InsufficientSpaceException,
        DownloadCancelledException,
        DownloadsFolderException,
        SourcesExhaustedException {
  /** The file's path inside its model. */
  private final String file;
  /** What went wrong, without the file name or the fix. */
  private final String problem;

  AcquisitionException(String file, String problem, String fix, @Nullable Throwable cause) {
    super(file + ": " + problem + (fix.isEmpty() ? "" : "; " + fix), cause);
    this.file = file;
    this.problem = problem;
  }

  /**
   * Which file could not be fetched.
   *
   * @return the file's path inside its model, e.g. {@code weights/model.onnx}
   */
  public String file() {
    return file;
  }

  /**
   * What went wrong.
   *
   * @return the problem part of the message, without the file name or the fix
   */
  public String problem() {
    return problem;
  }

  /**
   * Whether trying the same thing again later may succeed.
   *
   * @return true for failures that may pass (a network failure, a 503, a busy file); false for
   *     ones that repeat (a 404, wrong bytes, a full disk, a cancellation)
   */
  public abstract boolean isRetryWorthy();

  /**
   * True when every source tried delivered bytes that failed the manifest's size or sha256: an
   * integrity failure (exit code 3 in the CLI), as opposed to a source that could not be reached
   * or refused. The bytes were discarded.
   *
   * @return true for an integrity failure; false here, overridden by the subclasses that can be one
   */
  public boolean wrongBytes() {
    return false;
  }

  /**
   * {@link soko.Reason#INTEGRITY} when a source sent other bytes ({@link #wrongBytes()}), {@link
   * soko.Reason#STORAGE} for no space or an unusable downloads folder, else {@link
   * soko.Reason#NETWORK}.
   */
  @Override
  public final soko.Reason reason() {
    return switch (this) {
      case InsufficientSpaceException _, DownloadsFolderException _ -> soko.Reason.STORAGE;
      default -> wrongBytes() ? soko.Reason.INTEGRITY : soko.Reason.NETWORK;
    };
  }
}
