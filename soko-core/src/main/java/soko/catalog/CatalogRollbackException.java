package soko.catalog;

/**
 * A catalog is older than one accepted before from the same source, or has the same version as the
 * accepted one but different content. Accepting it would undo updates (a rollback attack or a
 * stale mirror).
 */
public final class CatalogRollbackException extends CatalogException {
  /** The version that was served. */
  private final long version;
  /** The highest version accepted before from the same source. */
  private final long lastAccepted;

  private CatalogRollbackException(String source, String message, long version, long lastAccepted) {
    super(source, message, null);
    this.version = version;
    this.lastAccepted = lastAccepted;
  }

  static CatalogRollbackException older(String source, String catalogId, long version, long lastAccepted) {
    return new CatalogRollbackException(source, "catalog source \"" + source + "\" served catalog " + catalogId
        + " version " + version + ", which is lower than version " + lastAccepted
        + " accepted before; refusing the rollback (a mirror may be serving a stale copy)", version, lastAccepted);
  }

  static CatalogRollbackException changedInPlace(String source, String catalogId, long version) {
    return new CatalogRollbackException(source, "catalog source \"" + source + "\" served catalog " + catalogId
        + " version " + version + " with different content than the version " + version
        + " accepted before; the publisher must raise the version whenever the catalog changes", version, version);
  }

  /**
   * The version that was served.
   *
   * @return the refused catalog's {@code version}
   */
  public long version() {
    return version;
  }

  /**
   * The highest version accepted before from this source.
   *
   * @return that version; equal to {@link #version()} when the same version came with other content
   */
  public long lastAccepted() {
    return lastAccepted;
  }
}
