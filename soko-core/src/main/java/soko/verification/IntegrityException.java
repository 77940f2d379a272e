package soko.verification;

import java.util.OptionalLong;

/**
 * Bytes did not match what a manifest promised: a size or a sha256 differs.
 *
 * <p>Not retry-worthy against the same bytes; retry-worthy against another source.
 */
public final class IntegrityException extends soko.SokoException {
  private final String subject;
  private final Digest expected;
  private final Digest actual;
  private final long expectedSize;
  private final OptionalLong actualSize;

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

  public String subject() { return subject; }
  public Digest expected() { return expected; }
  public Digest actual() { return actual; }
  public long expectedSize() { return expectedSize; }
  public OptionalLong actualSize() { return actualSize; }

  /** {@link soko.Reason#INTEGRITY}: a size or sha256 did not match. */
  @Override
  public soko.Reason reason() {
    return soko.Reason.INTEGRITY;
  }
}
