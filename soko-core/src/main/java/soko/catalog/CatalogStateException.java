package soko.catalog;

import java.nio.file.Path;

/** The rollback state of a catalog source could not be read or written. */
public final class CatalogStateException extends CatalogException {
  /**
   * Makes the exception; its message is {@code "catalog rollback state FILE PROBLEM"}.
   *
   * @param file the state file
   * @param problem what went wrong and what to do, such as {@code "could not be read (…); check the
   *     folder's permissions"}
   * @param cause the underlying error
   */
  public CatalogStateException(Path file, String problem, Throwable cause) {
    super(file.toString(), "catalog rollback state " + file + " " + problem, cause);
  }
}
