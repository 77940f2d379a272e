package soko.manifest;

/**
 * A manifest is invalid. The message names the JSON pointer of the bad value and what would be valid.
 */
public final class ManifestException extends soko.SokoException {
  private final String pointer;
  private final String source;

  public ManifestException(String source, String pointer, String problem, Throwable cause) {
    super(source + ": invalid manifest at " + (pointer.isEmpty() ? "/" : pointer) + ": " + problem, cause);
    this.pointer = pointer;
    this.source = source;
  }

  /** The RFC 6901 pointer of the bad value; empty for the whole document. */
  public String pointer() {
    return pointer;
  }

  /** Where the manifest came from, such as a file path or a catalog. */
  public String source() {
    return source;
  }

  /** {@link soko.Reason#INVALID_INPUT}: the manifest is not valid. */
  @Override
  public soko.Reason reason() {
    return soko.Reason.INVALID_INPUT;
  }
}
