package soko.bundle;

/**
 * A bundle cannot be written or read: the file is not a bundle Soko accepts (a link, an absolute
 * or climbing path, a duplicate entry, a truncated archive, a manifest of the wrong type…), or a
 * file could not be read or written. The message is one line: the file, what is wrong, and what to
 * do. A blob whose bytes do not match its name is a {@link soko.verification.IntegrityException}
 * instead. Not retry-worthy against the same file. Immutable once thrown.
 */
public final class BundleException extends soko.SokoException {
  /**
   * Makes the exception.
   *
   * @param message one line: the file, what is wrong, and what to do
   */
  public BundleException(String message) {
    super(message);
  }

  /**
   * Makes the exception.
   *
   * @param message one line: the file, what is wrong, and what to do
   * @param cause the underlying error, such as the I/O failure
   */
  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@link soko.Reason#INVALID_INPUT}: the bundle is not valid. */
  @Override
  public soko.Reason reason() {
    return soko.Reason.INVALID_INPUT;
  }
}
