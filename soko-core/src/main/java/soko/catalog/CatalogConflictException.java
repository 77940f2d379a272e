package soko.catalog;

/** Two catalogs disagree: the same model name@version with different content, or a name that is a model in one and an alias in another. */
public final class CatalogConflictException extends CatalogException {
  CatalogConflictException(String source, String message) {
    super(source, message, null);
  }

  CatalogConflictException(String source, String message, Throwable cause) {
    super(source, message, cause);
  }
}
