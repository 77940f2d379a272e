package soko.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import soko.catalog.AliasEntry;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.catalog.Recommendation;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.store.InstalledModel;
import soko.store.StoreException;

/**
 * Finds newer versions of installed models in the catalogs, and better picks for aliases. Reads
 * only: the catalogs as last accepted (no network), and the store.
 */
final class Updates {
  private Updates() {}

  static Outdated outdated(Soko soko) throws StoreException, CatalogException {
    Catalogs catalogs = soko.catalogs();
    List<Outdated.Update> updates = new ArrayList<>();
    for (InstalledModel m : soko.store().installed()) {
      Optional<Outdated.Update> u = newer(soko, catalogs, m);
      u.ifPresent(updates::add);
    }
    List<Outdated.BetterPick> picks = new ArrayList<>();
    for (AliasEntry a : catalogs.aliases()) {
      Optional<ModelName> running = a.alias().pick(n -> isInstalled(soko, n));
      if (running.isEmpty()) {
        continue;
      }
      Recommendation.Pick pick = soko.recommend(a.alias().name()).orElseThrow();
      if (pick.model().isPresent() && !pick.model().get().name().equals(running.get())
          && !isInstalled(soko, pick.model().get().name())) {
        picks.add(new Outdated.BetterPick(a.alias().name(), running.get().value(), pick.model().get().name().value(),
            pick.reason()));
      }
    }
    return new Outdated(updates, picks);
  }

  /** The newest version the catalogs list for an installed model, when it is newer. */
  static Optional<Outdated.Update> newer(Soko soko, Catalogs catalogs, InstalledModel m) throws StoreException {
    if (m.manifest().bundled()) {
      return Optional.empty(); // a bundled model comes with Soko and changes with it
    }
    Optional<Manifest> latest = catalogs.model(m.manifest().name());
    if (latest.isEmpty() || latest.get().version().compareTo(m.manifest().version()) <= 0) {
      return Optional.empty();
    }
    Manifest n = latest.get();
    return Optional.of(new Outdated.Update(n.name().value(), m.manifest().version().text(), n.version().text(),
        soko.downloadBytes(n), m.manifest().license().spdx(), n.license().spdx()));
  }

  private static boolean isInstalled(Soko soko, ModelName n) {
    try {
      return soko.store().installed(n).isPresent();
    } catch (StoreException damaged) {
      return false;
    }
  }
}
