package soko.catalog;

import org.jspecify.annotations.Nullable;

/**
 * A catalog was refused, or catalog state or keys could not be used. Each subclass is one reason,
 * with a one-line message that names the catalog source, what is wrong and what fixes it.
 *
 * <p>None of these is retry-worthy against the same bytes. Fetching again may help for {@link
 * CatalogSignatureException} (damaged in transit) and {@link CatalogExpiredException} or {@link
 * CatalogRollbackException} (a stale mirror).
 *
 * <p>Immutable once thrown. Only this package makes them; callers catch and read them.
 */
public abstract sealed class CatalogException extends Exception
    permits CatalogUnsignedException,
        CatalogSignatureException,
        CatalogUntrustedKeyException,
        CatalogExpiredException,
        CatalogRollbackException,
        CatalogIdMismatchException,
        CatalogMalformedException,
        CatalogConflictException,
        CatalogStateException,
        CatalogKeyException {

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
}
