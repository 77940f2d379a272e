package soko.verification;

import java.util.OptionalLong;

/**
 * Bytes did not match what a manifest promised: a size or a sha256 differs.
 *
 * <p>Not retry-worthy against the same bytes; retry-worthy against another source. Immutable once
 * thrown.
 */
public final class IntegrityException extends soko.SokoException {
  /** What was checked, such as a file's path and model id. */
  private final String subject;
  /** The promised sha256. */
  private final Digest expected;
  /** The sha256 found, or {@link Digest#EMPTY} when not computed. */
  private final Digest actual;
  /** The promised size in bytes. */
  private final long expectedSize;
  /** The size found; empty when reading stopped past the expected size. */
  private final OptionalLong actualSize;

  /**
   * Bytes were read to the end and differ from what was promised.
   *
   * @param subject what was checked, such as a file's path and model id; starts the message
   * @param expected the promised sha256
   * @param expectedSize the promised size in bytes
   * @param actual the sha256 of the bytes found
   * @param actualSize the number of bytes found
   * @param fix what the user can do about it, appended to the message; empty for none
   */
  public IntegrityException(String subject, Digest expected, long expectedSize, Digest actual, long actualSize, String fix) {
    super(message(subject, expected, expectedSize, actual, actualSize, fix));
    this.subject = subject;
    this.expected = expected;
    this.actual = actual;
    this.expectedSize = expectedSize;
    this.actualSize = OptionalLong.of(actualSize);
  }

  private IntegrityException(String subject, Digest expected, long expectedSize, String fix) {
    super(subject + ": more than " + expectedSize + " bytes, expected " + expectedSize + (fix.isEmpty() ? "" : "; " + fix));
    this.subject = subject;
    this.expected = expected;
    this.actual = Digest.EMPTY;
    this.expectedSize = expectedSize;
    this.actualSize = OptionalLong.empty();
  }

  /**
   * The data ran past its expected size, and a reader that stops one byte past the size (so that an
   * endless source cannot fill the disk) does not know the real size: {@link #actualSize} is empty
   * and {@link #actual} is {@link Digest#EMPTY}, meaning "not computed".
   *
   * @param subject what was checked; starts the message
   * @param expected the promised sha256
   * @param expectedSize the promised size in bytes, which the data exceeded
   * @param fix what the user can do about it, appended to the message; empty for none
   * @return the exception, to be thrown by the caller
   */
  public static IntegrityException longerThan(String subject, Digest expected, long expectedSize, String fix) {
    return new IntegrityException(subject, expected, expectedSize, fix);
  }

  private static String message(String subject, Digest expected, long expectedSize, Digest actual, long actualSize, String fix) {
    String what;
    if (expectedSize != actualSize) {
      what = "size " + actualSize + " bytes, expected " + expectedSize;
    } else {
      what = "sha256 " + actual.hex() + ", expected " + expected.hex();
    }
    if (actual.equals(Digest.EMPTY) && actualSize == 0) {
      what += " (the data was empty)";
    }
    return subject + ": " + what + (fix.isEmpty() ? "" : "; " + fix);
  }

  /**
   * What was checked.
   *
   * @return the subject given when thrown, such as a file's path and model id
   */
  public String subject() { return subject; }

  /**
   * The promised digest.
   *
   * @return the sha256 the bytes should have had
   */
  public Digest expected() { return expected; }

  /**
   * The digest of the bytes found.
   *
   * @return their sha256, or {@link Digest#EMPTY} when not computed (see {@link #longerThan})
   */
  public Digest actual() { return actual; }

  /**
   * The promised size.
   *
   * @return the size in bytes the data should have had
   */
  public long expectedSize() { return expectedSize; }

  /**
   * The size found.
   *
   * @return the number of bytes found, or empty when reading stopped past the expected size
   */
  public OptionalLong actualSize() { return actualSize; }

  /** {@link soko.Reason#INTEGRITY}: a size or sha256 did not match. */
  @Override
  public soko.Reason reason() {
    return soko.Reason.INTEGRITY;
  }
}
