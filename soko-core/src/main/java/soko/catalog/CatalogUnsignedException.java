package soko.catalog;

/** A remote catalog came without any signature: a bare catalog document or an envelope with no signatures. */
public final class CatalogUnsignedException extends CatalogException {
  CatalogUnsignedException(String source) {
    super(source, "catalog source \"" + source + "\" served an unsigned catalog; only signed catalogs are accepted,"
        + " so ask its publisher for a signed catalog envelope", null);
  }
}
