package soko.catalog;

import org.jspecify.annotations.Nullable;

/**
 * A catalog was refused, or catalog state or keys could not be used. Each subclass is one way a
 * caller may handle it, with a one-line message that names the catalog source, what is wrong and
 * what fixes it.
 *
 * <p>None of these is retry-worthy against the same bytes. Fetching again may help for a {@link
 * CatalogUntrustedException} whose signature was damaged in transit or that expired, and for a
 * {@link CatalogRollbackException} (a stale mirror).
 *
 * <p>Immutable once thrown. Only this package makes them; callers catch and read them.
 */
public abstract sealed class CatalogException extends soko.SokoException
    permits CatalogUntrustedException,
        CatalogRollbackException,
        CatalogUnusableException,
        CatalogConflictException {

  /** The catalog source, key file or state file the exception is about. */
  private final String source;

  CatalogException(String source, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.source = source;
  }

  /**
   * What the exception is about.
   *
   * @return the catalog source, key file or state file, as named in the message
   */
  public String source() {
    return source;
  }

  /** {@link soko.Reason#INVALID_INPUT}: a catalog, its state or its keys could not be used. */
  @Override
  public final soko.Reason reason() {
    return soko.Reason.INVALID_INPUT;
  }
}
