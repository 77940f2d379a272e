package soko.catalog;

import java.util.List;
import soko.manifest.Manifest;

/**
 * A model version as offered by the merged catalogs. Immutable and thread-safe.
 *
 * @param manifest the model; its files' sources are the union of every listing catalog's sources
 * @param catalogIds the catalogs that list this name@version, in merge order; at least one (copied)
 */
public record CatalogEntry(Manifest manifest, List<String> catalogIds) {
  /**
   * Copies the list.
   *
   * @throws IllegalArgumentException if {@code catalogIds} is empty
   */
  public CatalogEntry {
    catalogIds = List.copyOf(catalogIds);
    if (catalogIds.isEmpty()) {
      throw new IllegalArgumentException("a catalog entry comes from at least one catalog");
    }
  }
}
