package soko.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A remote catalog could not be trusted: it carries no signature, a signature by a trusted key does
 * not match the signed bytes (changed after signing, or damaged in transit), every signature is by
 * an unknown key, it has expired (a stale copy replayed to freeze updates), or it is another
 * publisher's catalog id (mix-and-match). The message says which, and what fixes it.
 *
 * <p>One class for the five cases because no caller handles them differently: each refuses the
 * catalog and keeps the copy accepted before.
 */
public final class CatalogUntrustedException extends CatalogException {
  private CatalogUntrustedException(String source, String message) {
    super(source, message, null);
  }

  static CatalogUntrustedException unsigned(String source) {
    return new CatalogUntrustedException(source, "catalog source \"" + source + "\" served an unsigned catalog; only"
        + " signed catalogs are accepted, so ask its publisher for a signed catalog envelope");
  }

  static CatalogUntrustedException badSignature(String source, List<String> keyIds) {
    return new CatalogUntrustedException(source, "catalog source \"" + source + "\" served a catalog whose signature"
        + " by trusted key " + String.join(", ", keyIds) + " is invalid; the catalog was changed after signing or"
        + " damaged in transit, so fetch it again or ask its publisher to sign it again");
  }

  static CatalogUntrustedException unknownKeys(String source, List<String> seen, List<String> trusted) {
    return new CatalogUntrustedException(source, "catalog source \"" + source + "\" served a catalog signed only by"
        + " unknown key " + String.join(", ", seen) + "; the trusted keys are "
        + (trusted.isEmpty() ? "none" : String.join(", ", trusted))
        + ", so add the publisher's public key to the trusted keys if you trust this publisher");
  }

  static CatalogUntrustedException expired(String source, String catalogId, long version, Instant expires, Instant now) {
    return new CatalogUntrustedException(source, "catalog source \"" + source + "\" served catalog " + catalogId
        + " version " + version + " which expired at " + expires + " (it is now " + now + "); the publisher must"
        + " publish a fresh catalog, or a mirror is serving a stale copy");
  }

  static CatalogUntrustedException otherPublisher(String source, String expected, String actual) {
    return new CatalogUntrustedException(source, "catalog source \"" + source + "\" served catalog \"" + actual
        + "\" but is configured for catalog \"" + expected + "\"; refusing a catalog from another publisher, so fix"
        + " the source's URL or its expected catalog id");
  }
}
