package soko.app;

import java.util.List;
import java.util.Optional;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.manifest.Manifest;
import soko.manifest.ManifestException;
import soko.manifest.ModelName;
import soko.store.InstalledModel;
import soko.store.ModelCheck;
import soko.store.StoreException;

/** {@code soko show}: everything about one model, from the store and the catalogs, hashing and sending nothing. */
final class Describer {
  private Describer() {}

  /**
   * Everything about one model (see {@link ModelDescription}): an installed name describes the
   * installed model; an alias describes the model pulling it would install on this computer;
   * otherwise the catalog's (or a manifest file's) model. Hashes nothing and sends nothing.
   *
   * @throws UnknownModelException when nothing has that name
   */
  static ModelDescription describe(Soko facade, String nameOrAlias)
      throws AppException, ManifestException, CatalogException, StoreException {
    Optional<InstalledModel> installed = Optional.empty();
    try {
      installed = facade.store().installed(ModelName.parse(nameOrAlias));
    } catch (IllegalArgumentException notAName) {
      // an alias with characters a model name cannot have, name@version or a path: resolved below
    }
    Optional<AliasChoice> alias = installed.isPresent() ? Optional.empty() : facade.chooseForPull(nameOrAlias, Optional.empty());
    Manifest m;
    String origin;
    if (installed.isPresent()) {
      m = installed.get().manifest();
      origin = installed.get().origin();
    } else {
      Soko.Resolved r = facade.resolve(nameOrAlias);
      m = r.manifest();
      origin = r.origin();
      installed = facade.store().installed(m.name()).filter(i -> i.manifest().version().equals(m.version()));
    }
    Catalogs c = facade.catalogs();
    List<soko.catalog.CatalogEntry> listed = c.models().stream().filter(e -> e.manifest().name().equals(m.name())).toList();
    List<String> versions = listed.stream().map(e -> e.manifest().version()).sorted()
        .map(v -> v.text()).distinct().toList();
    List<String> catalogIds = listed.stream().flatMap(e -> e.catalogIds().stream()).distinct().toList();
    List<String> aliases = c.aliases().stream().filter(a -> a.alias().candidates().contains(m.name()))
        .map(a -> a.alias().name()).toList();
    List<String> installedVersions = facade.store().installed(m.name()).stream().map(i -> i.manifest().version().text()).toList();
    Optional<ModelCheck> check = installed.isPresent() ? Optional.of(facade.store().checkWithoutHashing(installed.get()))
        : Optional.empty();
    boolean engine = facade.engineProviders().stream().anyMatch(p -> p.info().id().equals(m.engine().id()));
    return new ModelDescription(nameOrAlias, m, origin, check, installedVersions, versions, catalogIds, aliases, alias,
        engine);
  }
}
