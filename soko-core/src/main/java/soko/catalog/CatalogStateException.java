package soko.catalog;

import java.nio.file.Path;

/** The rollback state of a catalog source could not be read or written. */
public final class CatalogStateException extends CatalogException {
  public CatalogStateException(Path file, String problem, Throwable cause) {
    super(file.toString(), "catalog rollback state " + file + " " + problem, cause);
  }
}
