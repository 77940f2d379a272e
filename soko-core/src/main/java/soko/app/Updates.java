package soko.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import soko.acquisition.AcquisitionException;
import soko.catalog.AliasEntry;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.catalog.Recommendation;
import soko.events.ProgressListener;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.store.InstalledModel;
import soko.store.StoreException;
import soko.verification.IntegrityException;

/**
 * Finds newer versions of installed models in the catalogs, and better picks for aliases. Reads
 * only: the catalogs as last accepted (no network), and the store.
 */
final class Updates {
  private Updates() {}

  static Outdated outdated(Soko facade) throws StoreException, CatalogException {
    Catalogs catalogs = facade.catalogs();
    List<Outdated.Update> updates = new ArrayList<>();
    for (InstalledModel m : facade.store().installed()) {
      Optional<Outdated.Update> u = newer(facade, catalogs, m);
      u.ifPresent(updates::add);
    }
    List<Outdated.BetterPick> picks = new ArrayList<>();
    for (AliasEntry a : catalogs.aliases()) {
      Optional<ModelName> running = a.alias().pick(n -> isInstalled(facade, n));
      if (running.isEmpty()) {
        continue;
      }
      Recommendation.Pick pick = facade.recommend(a.alias().name()).orElseThrow();
      if (pick.model().isPresent() && !pick.model().get().name().equals(running.get())
          && !isInstalled(facade, pick.model().get().name())) {
        picks.add(new Outdated.BetterPick(a.alias().name(), running.get().value(), pick.model().get().name().value(),
            pick.reason()));
      }
    }
    return new Outdated(updates, picks, facade.catalogAges());
  }

  /** The newest version the catalogs list for an installed model, when it is newer. */
  static Optional<Outdated.Update> newer(Soko facade, Catalogs catalogs, InstalledModel m) throws StoreException {
    if (m.manifest().bundled()) {
      return Optional.empty(); // a bundled model comes with Soko and changes with it
    }
    Optional<Manifest> latest = catalogs.model(m.manifest().name());
    if (latest.isEmpty() || latest.get().version().compareTo(m.manifest().version()) <= 0) {
      return Optional.empty();
    }
    Manifest n = latest.get();
    return Optional.of(new Outdated.Update(n.name().value(), m.manifest().version().text(), n.version().text(),
        facade.downloadBytes(n), m.manifest().license().spdx(), n.license().spdx()));
  }

  private static boolean isInstalled(Soko facade, ModelName n) {
    try {
      return facade.store().installed(n).isPresent();
    } catch (StoreException damaged) {
      return false;
    }
  }

  /**
   * What {@link Soko#update} would download and evict, without writing anything; empty when the
   * catalogs list nothing newer.
   */
  static Optional<DownloadPlan> updatePlan(Soko facade, String name) throws AppException, StoreException, CatalogException {
    Optional<Manifest> next = nextVersion(facade, name);
    return next.isEmpty() ? Optional.empty() : Optional.of(facade.plan(next.get()));
  }

  /**
   * Installs the newest version the catalogs list for an installed model (or, for an alias with a
   * better pick, the model recommended for this computer) beside the installed one, and switches
   * the name to it once it verifies; the replaced version stays for {@link Soko#rollback} until gc, a
   * removal or the budget drops it. A licence change needs the new licence accepted by name.
   *
   * @return empty when nothing newer is listed
   * @throws ConsentRequiredException when the licence changes and {@code consent} does not accept the new one
   */
  static Optional<Soko.InstallResult> update(Soko facade, String name, Consent consent, ProgressListener listener)
      throws AppException, StoreException, CatalogException, IntegrityException, AcquisitionException {
    Optional<Manifest> next = nextVersion(facade, name);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Manifest n = next.get();
    Optional<InstalledModel> current = facade.store().installed(n.name());
    if (current.isPresent() && !current.get().manifest().license().spdx().equals(n.license().spdx())
        && !consent.accepts(n.license().spdx())) {
      throw new ConsentRequiredException("the licence of " + n.name() + " changes from "
          + current.get().manifest().license().spdx() + " to " + n.license().spdx() + " in " + n.version()
          + " (" + n.license().url() + "): read it, then run again with --accept-license " + n.license().spdx());
    }
    return Optional.of(facade.installs().install(n, "catalog", consent, listener, current.isPresent()));
  }

  /** The manifest {@link Soko#update} installs for a model name or an alias, if there is a newer one. */
  private static Optional<Manifest> nextVersion(Soko facade, String name) throws AppException, StoreException, CatalogException {
    Catalogs c = facade.catalogs();
    if (c.alias(name).isPresent()) {
      for (Outdated.BetterPick p : outdated(facade).betterPicks()) {
        if (p.alias().equals(name)) {
          return c.model(ModelName.parse(p.recommended()));
        }
      }
      return Optional.empty();
    }
    InstalledModel m = facade.store().require(Soko.parseName(name));
    Optional<Outdated.Update> u = newer(facade, c, m);
    return u.isEmpty() ? Optional.empty() : c.model(m.manifest().name());
  }
}
