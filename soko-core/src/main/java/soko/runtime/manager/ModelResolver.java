package soko.runtime.manager;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.catalog.Alias;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.runtime.ModelUnavailableException;
import soko.store.InstalledModel;
import soko.store.Store;
import soko.store.StoreException;

/**
 * Chooses the installed model for a {@link Need}, never downloading anything.
 *
 * <p>Order: the alias's candidates that are installed and serve the job, in the alias's order
 * ({@link Alias#pick}); then any other installed model whose manifest serves the job, by name.
 * A demo model (the phrasebook) comes after every real model, so an installed OPUS-MT model wins
 * over it even if an admin's alias lists the demo first.
 */
final class ModelResolver {
  private final Store store;
  private final Engines.CatalogSource catalogs;

  ModelResolver(Store store, Engines.CatalogSource catalogs) {
    this.store = store;
    this.catalogs = catalogs;
  }

  /**
   * The models that could do the job, best first.
   *
   * @throws ModelUnavailableException when none is installed: "ja-asr is not installed: run `soko pull ja-asr`"
   */
  List<Manifest> candidates(Need need) throws ModelUnavailableException, StoreException {
    Map<ModelName, Manifest> installed = new LinkedHashMap<>();
    for (InstalledModel m : store.installed()) {
      if (serves(m.manifest(), need)) {
        installed.put(m.manifest().name(), m.manifest());
      }
    }
    List<Manifest> ordered = new ArrayList<>();
    Optional<Alias> alias = alias(need);
    if (alias.isPresent()) {
      List<ModelName> remaining = new ArrayList<>(alias.get().candidates());
      Optional<ModelName> pick;
      while ((pick = alias.get().pick(n -> remaining.contains(n) && installed.containsKey(n))).isPresent()) {
        ordered.add(installed.remove(pick.get()));
        remaining.remove(pick.get());
      }
    }
    installed.values().stream().sorted(Comparator.comparing(m -> m.name().value())).forEach(ordered::add);
    List<Manifest> best = new ArrayList<>(ordered.stream().filter(m -> !m.demo()).toList());
    best.addAll(ordered.stream().filter(Manifest::demo).toList());
    if (best.isEmpty()) {
      throw notInstalled(need);
    }
    return best;
  }

  static ModelUnavailableException notInstalled(Need need) {
    return new ModelUnavailableException(need.alias() + " is not installed: run `soko pull " + need.alias() + "`");
  }

  private Optional<Alias> alias(Need need) {
    try {
      return catalogs.catalogs().alias(need.alias());
    } catch (CatalogException e) {
      return Optional.empty(); // without catalogs, installed manifests still say what they do
    }
  }

  static boolean serves(Manifest m, Need need) {
    return m.tasks().stream().anyMatch(t -> t.covers(need.task(), need.language(), need.target()));
  }
}
