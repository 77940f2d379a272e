package soko.acquisition;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A source serves other bytes than the manifest names: another length, too many bytes, or another
 * sha256. The bytes are discarded. Not retry-worthy on the same source; another source may work.
 */
public final class ContentMismatchException extends AcquisitionException {
  /** How the bytes differ. */
  public enum Kind {
    /** Content-Length or Content-Range announced a length other than the manifest's size. */
    ANNOUNCED_LENGTH,
    /** The body went on past the manifest's size (an endless or wrong body). */
    TOO_LONG,
    /** The right number of bytes with another sha256; the cause is the {@link soko.verification.IntegrityException}. */
    DIGEST,
    /** A chunk's bytes had another sha256 than the manifest's chunk digest for it. */
    CHUNK
  }

  /** How the bytes differ. */
  private final Kind kind;
  /** The source that served them. */
  private final URI uri;

  ContentMismatchException(String file, URI uri, Kind kind, String problem, @Nullable Throwable cause) {
    super(file, uri + " " + problem,
        "the bytes were discarded; this source serves a different file than the manifest names, so use another source or fix the manifest",
        cause);
    this.kind = kind;
    this.uri = uri;
  }

  /**
   * How the bytes differ.
   *
   * @return the kind of mismatch
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Which source served the wrong bytes.
   *
   * @return the source's URI
   */
  public URI uri() {
    return uri;
  }

  @Override
  public boolean isRetryWorthy() {
    return false;
  }

  @Override
  public boolean wrongBytes() {
    return true;
  }
}
