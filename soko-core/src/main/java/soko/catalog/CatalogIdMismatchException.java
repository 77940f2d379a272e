package soko.catalog;

/** A validly signed catalog belongs to another publisher's catalog id than the source expects (mix-and-match). */
public final class CatalogIdMismatchException extends CatalogException {
  CatalogIdMismatchException(String source, String expected, String actual) {
    super(source, "catalog source \"" + source + "\" served catalog \"" + actual + "\" but is configured for catalog \""
        + expected + "\"; refusing a catalog from another publisher, so fix the source's URL or its expected catalog id",
        null);
  }
}
