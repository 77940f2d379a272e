package soko.catalog;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * Where remote catalogs come from, as configured by the user or admin: a stable id for rollback
 * state, and the catalog id that this source must serve (a catalog with another id is refused as
 * mix-and-match across publishers).
 *
 * @param id stable for the life of the configuration, such as {@code "example.models https://…/catalog.json"};
 *     1 to 1024 characters, no control characters. Rollback state is kept per id.
 * @param expectedCatalogId the {@code id} that catalogs from this source must carry; never {@link
 *     Catalog#BUILTIN_ID}
 */
public record CatalogSource(String id, String expectedCatalogId) {
  /** The longest source id, in characters. */
  public static final int MAX_ID_LENGTH = 1024;

  /**
   * Checks the source. Immutable and thread-safe once made.
   *
   * @throws IllegalArgumentException if {@code id} is empty, too long or has a control character, or
   *     {@code expectedCatalogId} is not a catalog id or is the built-in catalog's
   */
  public CatalogSource {
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("a catalog source id is 1 to " + MAX_ID_LENGTH + " characters on one line");
    }
    @Nullable String problem = Catalog.idProblem(expectedCatalogId);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (expectedCatalogId.equals(Catalog.BUILTIN_ID)) {
      throw new IllegalArgumentException(Catalog.BUILTIN_ID + " is the catalog shipped inside Soko; a remote source cannot serve it");
    }
  }

  /**
   * The source that serves catalog {@code catalogId} from {@code url}; its id is {@code "<catalogId>
   * <url>"}.
   *
   * @param catalogId the catalog id the source must serve
   * @param url where the signed catalog is fetched from
   * @return the source
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static CatalogSource of(String catalogId, URI url) {
    return new CatalogSource(catalogId + " " + url, catalogId);
  }

  /**
   * For messages.
   *
   * @return {@link #id()}
   */
  @Override
  public String toString() {
    return id;
  }
}
