package soko.catalog;

import java.time.Instant;

/** A catalog's {@code expires} time has passed: it may be a stale copy replayed to freeze updates. */
public final class CatalogExpiredException extends CatalogException {
  /** The catalog's expiry time. */
  private final Instant expires;

  CatalogExpiredException(String source, String catalogId, long version, Instant expires, Instant now) {
    super(source, "catalog source \"" + source + "\" served catalog " + catalogId + " version " + version
        + " which expired at " + expires + " (it is now " + now + "); the publisher must publish a fresh catalog,"
        + " or a mirror is serving a stale copy", null);
    this.expires = expires;
  }

  /**
   * When the catalog expired.
   *
   * @return the catalog's {@code expires} time, before now
   */
  public Instant expires() {
    return expires;
  }
}
