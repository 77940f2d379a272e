package soko.catalog;

import org.jspecify.annotations.Nullable;

/**
 * A catalog, signed envelope or built-in catalog is not valid. The message names where it came from,
 * the JSON pointer of the bad value and what would be valid.
 */
public final class CatalogMalformedException extends CatalogException {
  /** The JSON pointer of the bad value; empty for the whole document. */
  private final String pointer;

  CatalogMalformedException(String source, String what, String pointer, String problem, @Nullable Throwable cause) {
    super(source, source + ": invalid " + what + " at " + (pointer.isEmpty() ? "/" : pointer) + ": " + problem, cause);
    this.pointer = pointer;
  }

  /**
   * Where in the document the problem is.
   *
   * @return the RFC 6901 pointer of the bad value; empty for the whole document
   */
  public String pointer() {
    return pointer;
  }
}
