package soko.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import soko.acquisition.DocumentFetcher;
import soko.catalog.BuiltinCatalog;
import soko.catalog.Catalog;
import soko.catalog.CatalogException;
import soko.catalog.CatalogTrust;
import soko.catalog.Catalogs;
import soko.catalog.TrustedKeys;
import soko.internal.io.AtomicFiles;
import soko.manifest.Manifest;
import soko.store.StoreException;

/**
 * The catalogs in force: the built-in one and the configured remote catalogs, each as last
 * accepted (re-verified when loaded), kept in memory until a change. Adds catalog sources, fetches
 * and verifies them, and takes the signed catalogs a bundle carries. Thread-safe.
 */
final class CatalogService {
  private final Soko facade;
  private volatile @org.jspecify.annotations.Nullable Catalogs catalogs;
  private volatile List<String> catalogWarnings = List.of();

  CatalogService(Soko facade) {
    this.facade = facade;
  }

  /**
   * The built-in catalog merged with the remote catalogs last accepted by {@link Soko#updateCatalogs()}.
   * Each stored remote catalog is re-verified (signature, expiry, rollback) when loaded; one that
   * no longer passes is left out and named in {@link #catalogWarnings()}.
   */
  Catalogs catalogs() throws CatalogException {
    Catalogs c = catalogs;
    if (c == null) {
      List<String> warnings = new ArrayList<>();
      c = Catalogs.of(BuiltinCatalog.load(), List.of());
      for (CatalogSources.Configured source : configuredCatalogs()) {
        Path env = catalogSources().envelope(source);
        if (!Files.exists(env)) {
          warnings.add("catalog " + source.catalogId() + " (" + source.url() + ") was never fetched: run `soko catalog update`");
          continue;
        }
        c = withStored(c, source, warnings);
      }
      catalogWarnings = List.copyOf(warnings);
      catalogs = c;
    }
    return c;
  }

  /**
   * {@code above} with the last accepted catalog of {@code source} merged in, re-verified against
   * {@code above}; {@code above} alone (and a warning) when it no longer passes, so that one bad
   * catalog never takes the others down with it.
   */
  private Catalogs withStored(Catalogs above, CatalogSources.Configured source, List<String> warnings) {
    Path env = catalogSources().envelope(source);
    if (!Files.exists(env)) {
      return above;
    }
    try {
      return above.with(trust(source).accept(source.source(), above, Files.readAllBytes(env)));
    } catch (soko.catalog.CatalogConflictException e) {
      warnings.add(e.getMessage() + "; it is left out");
      return above;
    } catch (CatalogException | IOException e) {
      warnings.add(e.getMessage() + " (run `soko catalog update`)");
      return above;
    }
  }

  /**
   * Each configured remote catalog with when its kept copy was last written: every accepted fetch
   * (and a copy taken from a bundle) replaces the file, so its modification time is that moment.
   */
  List<Outdated.CatalogAge> catalogAges() throws CatalogException {
    java.time.Instant now = facade.clock().instant();
    List<Outdated.CatalogAge> out = new ArrayList<>();
    for (CatalogSources.Configured c : configuredCatalogs()) {
      Optional<java.time.Instant> at;
      try {
        at = Optional.of(Files.getLastModifiedTime(catalogSources().envelope(c), java.nio.file.LinkOption.NOFOLLOW_LINKS)
            .toInstant());
      } catch (IOException e) {
        at = Optional.empty(); // never fetched (or unreadable, which loading the catalogs reports)
      }
      out.add(new Outdated.CatalogAge(c.catalogId(), c.url().toString(), at,
          at.map(t -> java.time.Duration.between(t, now).isNegative() ? java.time.Duration.ZERO : java.time.Duration.between(t, now))));
    }
    return out;
  }

  /** Why configured remote catalogs are left out of {@link #catalogs()}, one line each. */
  List<String> catalogWarnings() throws CatalogException {
    catalogs();
    return catalogWarnings;
  }

  private CatalogSources catalogSources() {
    return new CatalogSources(facade.store().roots().data().resolve("state"));
  }

  private CatalogTrust trust(CatalogSources.Configured source) {
    return new CatalogTrust(source.keys(), facade.clock(), facade.store().catalogStateDir());
  }

  private List<CatalogSources.Configured> configuredCatalogs() throws CatalogException {
    try {
      return catalogSources().read();
    } catch (IOException | soko.internal.json.JsonProblem e) {
      throw soko.catalog.CatalogUnusableException.state(facade.store().roots().data().resolve("state/catalog-sources.json"),
          "(the configured catalog sources) is damaged (" + e.getMessage() + "): remove it and add the catalogs again", e);
    }
  }

  /**
   * Adds (or replaces) a remote catalog: where to fetch it, the catalog id it must carry, and the
   * publisher keys trusted to sign it. Nothing is fetched until {@link Soko#updateCatalogs()}.
   */
  void addCatalog(URI url, String catalogId, TrustedKeys keys) throws CatalogException, StoreException {
    CatalogSources.Configured added = new CatalogSources.Configured(catalogId, url, keys);
    added.source(); // validates the id
    List<CatalogSources.Configured> all = new ArrayList<>();
    for (CatalogSources.Configured c : configuredCatalogs()) {
      if (!c.catalogId().equals(catalogId)) {
        all.add(c);
      }
    }
    all.add(added);
    try {
      catalogSources().write(all);
    } catch (IOException e) {
      throw new soko.store.StoreIOException("cannot save the catalog sources", e);
    }
    catalogs = null;
  }

  /**
   * The signed catalogs, as last accepted from their configured sources, that list {@code m} with
   * exactly its content: what a bundle carries so that an offline machine can trust {@code m}.
   */
  List<soko.bundle.BundleWriter.CatalogCopy> signedCatalogsListing(Manifest m) throws CatalogException {
    List<soko.bundle.BundleWriter.CatalogCopy> out = new ArrayList<>();
    for (soko.catalog.CatalogEntry e : catalogs().models()) {
      if (!e.manifest().id().equals(m.id()) || !Bundles.sameModel(e.manifest(), m)) {
        continue;
      }
      for (CatalogSources.Configured c : configuredCatalogs()) {
        Path env = catalogSources().envelope(c);
        if (e.catalogIds().contains(c.catalogId()) && Files.isRegularFile(env)) {
          try {
            out.add(new soko.bundle.BundleWriter.CatalogCopy(c.catalogId(), Files.readAllBytes(env)));
          } catch (IOException ex) {
            throw soko.catalog.CatalogUnusableException.state(env, "cannot be read (" + ex.getMessage() + ")", ex);
          }
        }
      }
    }
    return out;
  }

  /**
   * Takes a signed catalog carried by a bundle as if {@link Soko#updateCatalogs()} had fetched it from
   * the configured source with that catalog id: the same checks (a trusted key's signature, expiry,
   * rollback, no redefined model), and on success it is kept for offline use like a fetched copy.
   *
   * @return one line saying what happened to it
   */
  String acceptCarriedCatalog(String catalogId, byte[] envelope) throws CatalogException {
    Catalogs above = Catalogs.of(BuiltinCatalog.load(), List.of());
    for (CatalogSources.Configured c : configuredCatalogs()) {
      if (!c.catalogId().equals(catalogId)) {
        above = withStored(above, c, new ArrayList<>());
        continue;
      }
      try {
        Catalog accepted = trust(c).accept(c.source(), above, envelope);
        AtomicFiles.replace(catalogSources().envelope(c), envelope);
        catalogs = null;
        return "catalog " + catalogId + " version " + accepted.version() + " from the bundle verified and kept";
      } catch (soko.catalog.CatalogRollbackException e) {
        return "catalog " + catalogId + " in the bundle is older than the copy this machine has, which stays in use ("
            + e.getMessage() + ")";
      } catch (CatalogException e) {
        return "catalog " + catalogId + " in the bundle was refused: " + e.getMessage();
      } catch (IOException e) {
        throw soko.catalog.CatalogUnusableException.state(catalogSources().envelope(c), "cannot be written (" + e.getMessage()
            + ")", e);
      }
    }
    return "the bundle carries catalog " + catalogId + ", which this machine is not configured to trust; to use it, run"
        + " `soko catalog add URL --id " + catalogId + " --trust KEY.pub.json` first";
  }

  /**
   * Fetches every configured remote catalog, verifies it (signature by a trusted key, expiry,
   * rollback against the last accepted version, catalog id) and keeps it for offline use. A
   * catalog that fails keeps the previously accepted copy. Refused when offline.
   */
  List<Soko.CatalogUpdate> updateCatalogs() throws AppException, CatalogException {
    List<Soko.CatalogUpdate> out = new ArrayList<>();
    List<CatalogSources.Configured> sources = configuredCatalogs();
    if (facade.settings().offline() && sources.stream().anyMatch(c -> !"file".equalsIgnoreCase(c.url().getScheme()))) {
      throw new ConsentRequiredException("offline: updating catalogs needs the network; run without --offline"
          + " (and unset SOKO_OFFLINE)");
    }
    DocumentFetcher fetcher = new DocumentFetcher(facade.connector());
    // Each catalog is checked against those in force above it: the built-in one and the sources
    // configured before it (the new copy when it was accepted, else the one kept from before).
    Catalogs above = Catalogs.of(BuiltinCatalog.load(), List.of());
    for (CatalogSources.Configured c : sources) {
      try {
        byte[] bytes = fetcher.fetch(c.url(), soko.catalog.CatalogCodec.MAX_BYTES * 2);
        Catalog accepted = trust(c).accept(c.source(), above, bytes);
        AtomicFiles.replace(catalogSources().envelope(c), bytes);
        out.add(new Soko.CatalogUpdate(c.catalogId(), c.url(), OptionalLong.of(accepted.version()), Optional.empty()));
        above = above.with(accepted);
      } catch (IOException | CatalogException | RuntimeException e) {
        // One bad source never stops the others from updating.
        out.add(new Soko.CatalogUpdate(c.catalogId(), c.url(), OptionalLong.empty(),
            Optional.of("catalog " + c.catalogId() + " (" + c.url() + "): " + e.getMessage()
                + (e instanceof soko.catalog.CatalogConflictException
                    ? "; it was refused, and the copy accepted before (if any) stays in use" : ""))));
        above = withStored(above, c, new ArrayList<>());
      }
    }
    catalogs = null;
    return out;
  }
}
