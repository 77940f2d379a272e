package soko.catalog;

import java.util.List;

/** Every signature on a catalog is by a key that is not trusted. */
public final class CatalogUntrustedKeyException extends CatalogException {
  /** The key ids the catalog was signed with. */
  private final List<String> seen;
  /** The key ids that are trusted. */
  private final List<String> trusted;

  CatalogUntrustedKeyException(String source, List<String> seen, List<String> trusted) {
    super(source, "catalog source \"" + source + "\" served a catalog signed only by unknown key "
        + String.join(", ", seen) + "; the trusted keys are "
        + (trusted.isEmpty() ? "none" : String.join(", ", trusted))
        + ", so add the publisher's public key to the trusted keys if you trust this publisher", null);
    this.seen = List.copyOf(seen);
    this.trusted = List.copyOf(trusted);
  }

  /**
   * Who signed the catalog.
   *
   * @return the key ids the catalog was signed with; unmodifiable
   */
  public List<String> seenKeyIds() {
    return seen;
  }

  /**
   * Who would have been accepted.
   *
   * @return the key ids that are trusted; empty when none is configured; unmodifiable
   */
  public List<String> trustedKeyIds() {
    return trusted;
  }
}
