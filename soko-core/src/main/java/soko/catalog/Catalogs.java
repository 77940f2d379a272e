package soko.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.SourceUri;
import soko.manifest.Version;

/**
 * The built-in catalog and the accepted remote catalogs seen as one, for {@code soko catalog},
 * {@code soko pull} and alias lookup.
 *
 * <p>Merge rules, applied in the order the catalogs are given (the built-in catalog first, then the
 * remote catalogs in the order they were configured: an earlier catalog has the higher priority):
 *
 * <ul>
 *   <li>Models are added, never replaced. The same name@version in two catalogs must describe the
 *       same model (tasks, engine, licence, description, annotations and every file's path, size and
 *       sha256), or {@link CatalogConflictException}; its files' download sources are merged, so a
 *       remote catalog can add a mirror for a built-in model. Different versions of one name
 *       coexist, and a bare name means the highest version.
 *   <li>Aliases: a later catalog's alias replaces an earlier one with the same name, so an admin's
 *       signed catalog can change which model {@code ja-asr} means. Each alias was already checked
 *       against its own catalog.
 *   <li>A name cannot be a model in one catalog and an alias in another ({@link CatalogConflictException}).
 *   <li>An alias may not name a model of another catalog that cannot do its task or forbids
 *       commercial use ({@link CatalogConflictException}); within one catalog, {@link Catalog}
 *       already refuses this.
 * </ul>
 *
 * <p>{@link CatalogTrust#accept} checks a remote catalog against the catalogs in force above it with
 * {@link #with} before it accepts it, so a conflicting catalog is refused when it is fetched, and the
 * one accepted before stays in use.
 *
 * <p>Immutable and thread-safe.
 */
public final class Catalogs {
  private final List<Catalog> merged;
  private final List<String> catalogIds;
  private final List<CatalogEntry> models;
  private final Map<String, AliasEntry> aliases;

  private Catalogs(List<Catalog> merged, List<String> catalogIds, List<CatalogEntry> models,
      Map<String, AliasEntry> aliases) {
    this.merged = List.copyOf(merged);
    this.catalogIds = List.copyOf(catalogIds);
    this.models = List.copyOf(models);
    this.aliases = Map.copyOf(aliases);
  }

  /**
   * Merges {@code builtin} with accepted remote catalogs, in that order.
   *
   * @param builtin the built-in catalog, highest priority
   * @param remotes accepted remote catalogs, highest priority first
   * @return the merged view
   * @throws CatalogConflictException if a catalog is given twice or the catalogs break a merge rule
   *     (the message names the first conflicting entry)
   */
  public static Catalogs of(Catalog builtin, List<Catalog> remotes) throws CatalogConflictException {
    List<Catalog> all = new ArrayList<>();
    all.add(builtin);
    all.addAll(remotes);
    return merge(all);
  }

  /**
   * These catalogs with {@code next} merged after them, at the lowest priority: the check a catalog
   * must pass before it is accepted, so that it can never redefine a model that the built-in catalog
   * or a catalog merged before it defines with other content.
   *
   * @param next the catalog to check, lowest priority
   * @return a new merged view; this one is unchanged
   * @throws CatalogConflictException naming the first entry of {@code next} that conflicts; this
   *     instance is unchanged
   */
  public Catalogs with(Catalog next) throws CatalogConflictException {
    List<Catalog> all = new ArrayList<>(merged);
    all.add(next);
    return merge(all);
  }

  /**
   * Merges catalogs in the given order; see the class comment.
   *
   * @param catalogs the catalogs, highest priority first
   * @return the merged view
   * @throws CatalogConflictException if a catalog is given twice or the catalogs break a merge rule
   */
  public static Catalogs merge(List<Catalog> catalogs) throws CatalogConflictException {
    Set<String> ids = new LinkedHashSet<>();
    Map<String, Manifest> byId = new LinkedHashMap<>();
    Map<String, List<String>> sourcesOf = new LinkedHashMap<>();
    Map<ModelName, String> modelCatalog = new LinkedHashMap<>();
    Map<String, AliasEntry> aliases = new LinkedHashMap<>();
    for (Catalog c : catalogs) {
      if (!ids.add(c.id())) {
        throw new CatalogConflictException(c.id(), "catalog \"" + c.id() + "\" is given twice; configure each catalog once");
      }
      for (Manifest m : c.models()) {
        modelCatalog.putIfAbsent(m.name(), c.id());
        Manifest prev = byId.get(m.id());
        if (prev == null) {
          byId.put(m.id(), m);
          sourcesOf.put(m.id(), new ArrayList<>(List.of(c.id())));
        } else if (!sameModel(prev, m)) {
          String first = sourcesOf.get(m.id()).getFirst();
          throw new CatalogConflictException(c.id(), "catalog \"" + c.id() + "\" describes " + m.id() + " differently from "
              + (first.equals(Catalog.BUILTIN_ID) ? "the built-in catalog" : "catalog \"" + first + "\"") + " ("
              + String.join("; ", differences(prev, m)) + "); a published model version never changes, so its publisher"
              + " must give the changed model a new version");
        } else {
          byId.put(m.id(), withMergedSources(prev, m));
          sourcesOf.get(m.id()).add(c.id());
        }
      }
      for (Alias a : c.aliases()) {
        aliases.put(a.name(), new AliasEntry(a, c.id()));
      }
    }
    for (AliasEntry a : aliases.values()) {
      String modelIn = modelCatalog.get(new ModelName(a.alias().name()));
      if (modelIn != null) {
        throw new CatalogConflictException(a.catalogId(), "\"" + a.alias().name() + "\" is a model in catalog \"" + modelIn
            + "\" and an alias in catalog \"" + a.catalogId() + "\"; one of the publishers must rename it");
      }
    }
    List<CatalogEntry> entries = new ArrayList<>();
    byId.forEach((id, m) -> entries.add(new CatalogEntry(m, sourcesOf.get(id))));
    for (AliasEntry a : aliases.values()) {
      for (ModelName candidate : a.alias().candidates()) {
        Optional<Manifest> newest = byId.values().stream().filter(m -> m.name().equals(candidate))
            .max(Comparator.comparing(Manifest::version));
        @Nullable String refusal = newest.map(m -> Alias.refusal(a.alias(), m)).orElse(null);
        if (refusal != null) {
          throw new CatalogConflictException(a.catalogId(), "alias \"" + a.alias().name() + "\" of catalog \""
              + a.catalogId() + "\" names model \"" + candidate + "\" of catalog \"" + modelCatalog.get(candidate)
              + "\", which " + refusal + "; the alias's publisher must drop that candidate");
        }
      }
    }
    entries.sort(Comparator.<CatalogEntry, String>comparing(e -> e.manifest().name().value())
        .thenComparing(e -> e.manifest().version(), Comparator.reverseOrder()));
    return new Catalogs(catalogs, new ArrayList<>(ids), entries, aliases);
  }

  /** What differs between two descriptions of one name@version, besides download sources, as short phrases. */
  static List<String> differences(Manifest was, Manifest now) {
    List<String> out = new ArrayList<>();
    Map<String, ModelFile> before = new LinkedHashMap<>();
    was.files().forEach(f -> before.put(f.path().value(), f));
    for (ModelFile f : now.files()) {
      ModelFile b = before.remove(f.path().value());
      if (b == null) {
        out.add("adds the file " + f.path());
      } else if (b.size() != f.size() || !b.sha256().equals(f.sha256())) {
        out.add(f.path() + " is " + f.size() + " bytes with sha256 " + f.sha256().hex().substring(0, 12) + "…, not "
            + b.size() + " bytes with sha256 " + b.sha256().hex().substring(0, 12) + "…");
      }
    }
    before.keySet().forEach(path -> out.add("drops the file " + path));
    if (!was.tasks().equals(now.tasks())) {
      out.add("other tasks");
    }
    if (!was.engine().equals(now.engine())) {
      out.add("another engine");
    }
    if (!was.license().equals(now.license())) {
      out.add("another licence");
    }
    if (!was.description().equals(now.description())) {
      out.add("another description");
    }
    if (!was.annotations().equals(now.annotations())) {
      out.add("other annotations");
    }
    if (was.demo() != now.demo()) {
      out.add(now.demo() ? "marks it a demo" : "no longer marks it a demo");
    }
    return out;
  }

  /**
   * Equal in everything but the files' download sources and chunk digests (derived from the bytes
   * the sha256 names; a merged entry keeps the first definition's).
   */
  private static boolean sameModel(Manifest a, Manifest b) {
    return withoutSources(a).equals(withoutSources(b));
  }

  private static Manifest withoutSources(Manifest m) {
    List<ModelFile> files = m.files().stream()
        .map(f -> new ModelFile(f.path(), f.size(), f.sha256(), List.of()))
        .toList();
    return new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(), m.license(), files, m.demo(),
        m.annotations());
  }

  private static Manifest withMergedSources(Manifest first, Manifest later) {
    List<ModelFile> files = new ArrayList<>();
    for (ModelFile f : first.files()) {
      Set<SourceUri> sources = new LinkedHashSet<>(f.sources());
      later.file(f.path().value()).ifPresent(g -> sources.addAll(g.sources()));
      List<SourceUri> capped = new ArrayList<>(sources).subList(0, Math.min(sources.size(), ModelFile.MAX_SOURCES));
      files.add(f.withSources(capped));
    }
    return new Manifest(first.name(), first.version(), first.description(), first.tasks(), first.engine(), first.license(),
        files, first.demo(), first.annotations());
  }

  /**
   * Which catalogs are merged.
   *
   * @return the merged catalogs' ids, in merge order
   */
  public List<String> catalogIds() {
    return catalogIds;
  }

  /**
   * Every model version.
   *
   * @return the entries sorted by name, then newest version first
   */
  public List<CatalogEntry> models() {
    return models;
  }

  /**
   * Every alias in force.
   *
   * @return the aliases with the catalog each came from, sorted by name
   */
  public List<AliasEntry> aliases() {
    return aliases.values().stream().sorted(Comparator.comparing(a -> a.alias().name())).toList();
  }

  /**
   * Looks an alias up.
   *
   * @param name the alias, compared exactly
   * @return the alias in force under that name (a later catalog's replaces an earlier one's), or
   *     empty
   */
  public Optional<Alias> alias(String name) {
    return Optional.ofNullable(aliases.get(name)).map(AliasEntry::alias);
  }

  /**
   * The highest version of a model.
   *
   * @param name the model's name
   * @return its highest version's manifest, or empty when no catalog lists the name
   */
  public Optional<Manifest> model(ModelName name) {
    return models.stream().map(CatalogEntry::manifest).filter(m -> m.name().equals(name)).findFirst();
  }

  /**
   * One version of a model.
   *
   * @param name the model's name
   * @param version the version, compared with {@code equals} (build metadata counts)
   * @return its manifest, or empty when no catalog lists that name@version
   */
  public Optional<Manifest> model(ModelName name, Version version) {
    return models.stream().map(CatalogEntry::manifest)
        .filter(m -> m.name().equals(name) && m.version().equals(version))
        .findFirst();
  }

  /**
   * What to pull for {@code nameOrAlias}: {@code name@version} exactly; a model name's highest
   * version with its first task; or an alias's first candidate that a catalog lists, with the
   * alias's task. Empty when nothing matches (including text that is no valid name).
   *
   * <p>At use time, pick among installed models instead with {@link Alias#pick}. To pull an alias,
   * Soko installs the model {@link Recommendation#pick} recommends for the computer, and this first
   * listed candidate only when nothing can be recommended.
   *
   * @param nameOrAlias {@code name@version}, a model name or an alias, as the user typed it
   * @return what to pull, or empty when nothing matches
   */
  public Optional<Resolution> resolve(String nameOrAlias) {
    int at = nameOrAlias.indexOf('@');
    try {
      if (at >= 0) {
        ModelName name = ModelName.parse(nameOrAlias.substring(0, at));
        Version version = Version.parse(nameOrAlias.substring(at + 1));
        return model(name, version).map(m -> new Resolution(nameOrAlias, m, m.tasks().getFirst(), Optional.empty()));
      }
      Optional<Manifest> model = model(ModelName.parse(nameOrAlias));
      if (model.isPresent()) {
        Manifest m = model.get();
        return Optional.of(new Resolution(nameOrAlias, m, m.tasks().getFirst(), Optional.empty()));
      }
    } catch (IllegalArgumentException notAName) {
      return Optional.empty();
    }
    Optional<Alias> alias = alias(nameOrAlias);
    if (alias.isEmpty()) {
      return Optional.empty();
    }
    Alias a = alias.get();
    for (ModelName candidate : a.candidates()) {
      Optional<Manifest> m = model(candidate).filter(a::servedBy);
      if (m.isPresent()) {
        return Optional.of(new Resolution(nameOrAlias, m.get(), a.task(), Optional.of(a)));
      }
    }
    return Optional.empty();
  }
}
