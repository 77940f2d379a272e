package soko.catalog;

import java.util.List;

/**
 * A signature by a trusted key does not match the signed bytes: the catalog was changed after it was
 * signed (tampering, or a models entry spliced in from another catalog) or damaged in transit.
 */
public final class CatalogSignatureException extends CatalogException {
  /** The trusted key ids whose signatures failed. */
  private final List<String> keyIds;

  CatalogSignatureException(String source, List<String> keyIds) {
    super(source, "catalog source \"" + source + "\" served a catalog whose signature by trusted key "
        + String.join(", ", keyIds) + " is invalid; the catalog was changed after signing or damaged in transit,"
        + " so fetch it again or ask its publisher to sign it again", null);
    this.keyIds = List.copyOf(keyIds);
  }

  /**
   * Which signatures failed.
   *
   * @return the trusted key ids whose signatures did not match, at least one; unmodifiable
   */
  public List<String> keyIds() {
    return keyIds;
  }
}
