package soko.manifest;

/**
 * A manifest is invalid. The message names the JSON pointer of the bad value and what would be valid.
 * Immutable once thrown.
 */
public final class ManifestException extends soko.SokoException {
  /** The JSON pointer of the bad value; empty for the whole document. */
  private final String pointer;
  /** Where the manifest came from. */
  private final String source;

  /**
   * Makes the exception; its message is {@code "SOURCE: invalid manifest at POINTER: PROBLEM"}.
   *
   * @param source where the manifest came from, such as a file path or a catalog URL
   * @param pointer the RFC 6901 JSON pointer of the bad value; empty for the whole document
   * @param problem what is wrong and what would be valid, one line
   * @param cause the underlying error, such as the JSON parser's; {@code null} when the problem was
   *     found without one (the parameter is not yet marked {@code @Nullable})
   */
  public ManifestException(String source, String pointer, String problem, Throwable cause) {
    super(source + ": invalid manifest at " + (pointer.isEmpty() ? "/" : pointer) + ": " + problem, cause);
    this.pointer = pointer;
    this.source = source;
  }

  /**
   * Where in the document the problem is.
   *
   * @return the RFC 6901 pointer of the bad value; empty for the whole document
   */
  public String pointer() {
    return pointer;
  }

  /**
   * Where the manifest came from.
   *
   * @return the source given when thrown, such as a file path or a catalog
   */
  public String source() {
    return source;
  }

  /** {@link soko.Reason#INVALID_INPUT}: the manifest is not valid. */
  @Override
  public soko.Reason reason() {
    return soko.Reason.INVALID_INPUT;
  }
}
