package soko.catalog;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A catalog, signed envelope or built-in catalog is not valid; a trusted-key file or a
 * publisher's private key file is not valid; or a catalog source's rollback state could not be
 * read or written. The message names the document or file, what is wrong and what fixes it; for
 * a document that breaks its schema, also the JSON pointer of the bad value.
 *
 * <p>One class for these because no caller handles them apart: each is an input to fix by hand.
 */
public final class CatalogUnusableException extends CatalogException {
  /** The JSON pointer of the bad value of an invalid catalog or envelope ("" for the whole document); null otherwise. */
  private final @Nullable String pointer;

  private CatalogUnusableException(String source, String message, @Nullable String pointer, @Nullable Throwable cause) {
    super(source, message, cause);
    this.pointer = pointer;
  }

  /** A catalog, signed envelope or built-in catalog that is not valid, at {@code pointer} ("" for the whole document). */
  static CatalogUnusableException malformed(String source, String what, String pointer, String problem,
      @Nullable Throwable cause) {
    return new CatalogUnusableException(source,
        source + ": invalid " + what + " at " + (pointer.isEmpty() ? "/" : pointer) + ": " + problem, pointer, cause);
  }

  /** A trusted-key file or private key file that is not valid; the message is {@code "SOURCE: PROBLEM"}. */
  static CatalogUnusableException key(String source, String problem, @Nullable Throwable cause) {
    return new CatalogUnusableException(source, source + ": " + problem, null, cause);
  }

  /**
   * A catalog state file (a source's rollback state, the configured sources, a saved envelope)
   * that could not be read or written or is damaged.
   *
   * @param file the state file
   * @param problem what went wrong and what to do, such as {@code "could not be read (…); check the
   *     folder's permissions"}
   * @param cause the underlying error
   * @return the exception, whose message is {@code "catalog rollback state FILE PROBLEM"}
   */
  public static CatalogUnusableException state(Path file, String problem, Throwable cause) {
    return new CatalogUnusableException(file.toString(), "catalog rollback state " + file + " " + problem, null, cause);
  }

  /**
   * Where in the document the problem is, for an invalid catalog, signed envelope or built-in catalog.
   *
   * @return the RFC 6901 pointer of the bad value ("" for the whole document); empty for a key file
   *     or rollback state
   */
  public Optional<String> pointer() {
    return Optional.ofNullable(pointer);
  }
}
