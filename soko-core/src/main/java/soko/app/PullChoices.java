package soko.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.catalog.Alias;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.catalog.Hardware;
import soko.catalog.Recommendation;
import soko.inventory.Machine;
import soko.manifest.Manifest;
import soko.runtime.manager.RuntimeSettings;

/**
 * What pulling an alias installs on this computer: the hardware as recommendations see it, the
 * recommendation for each alias, and the choice among an alias's candidates. Thread-safe.
 */
final class PullChoices {
  private final Soko facade;

  PullChoices(Soko facade) {
    this.facade = facade;
  }

  /**
   * This computer as recommendations see it ({@link Soko#machine()}): its cores, memory (8 GiB when
   * unknown, so that the budget is the runtime's default of 4 GiB) and CPU features.
   */
  Hardware hardware() {
    Machine m = facade.machine();
    long memory = m.memoryBytes() > 0 ? m.memoryBytes() : 2 * RuntimeSettings.DEFAULT_MEMORY_BUDGET;
    return Hardware.of(Math.max(1, m.cores()), memory, m.cpuFeatures());
  }

  /**
   * The model to pull for {@code alias} on this computer, with the reason and every candidate's
   * estimate ({@link Recommendation#pick} with {@link Recommendation.Limits#forHardware}); empty
   * when {@code alias} is no alias of the catalogs.
   */
  Optional<Recommendation.Pick> recommend(String alias) throws CatalogException {
    Optional<Alias> a = facade.catalogs().alias(alias);
    if (a.isEmpty()) {
      return Optional.empty();
    }
    Hardware hw = hardware();
    return Optional.of(Recommendation.pick(a.get(), facade.catalogs(), hw, Recommendation.Limits.forHardware(hw)));
  }

  /** {@link #recommend} for every alias of the catalogs, by alias name. */
  Map<String, Recommendation.Pick> recommendations() throws CatalogException {
    Hardware hw = hardware();
    Map<String, Recommendation.Pick> out = new java.util.LinkedHashMap<>();
    for (soko.catalog.AliasEntry a : facade.catalogs().aliases()) {
      out.put(a.alias().name(), Recommendation.pick(a.alias(), facade.catalogs(), hw, Recommendation.Limits.forHardware(hw)));
    }
    return out;
  }

  /**
   * What {@link Soko#pull} installs for {@code nameOrAlias} when it is an alias of the catalogs: the
   * model recommended for this computer, or {@code model} when given (it must be a candidate of the
   * alias that a catalog lists and that can do the alias's task), or, when nothing can be
   * recommended, the first candidate a catalog lists. Empty when {@code nameOrAlias} is no alias
   * (or when no candidate of it is listed). Running models is another rule: an alias then uses its
   * first installed candidate.
   *
   * @throws UnknownModelException when {@code model} is given for something that is no alias, or
   *     names no usable candidate; the message lists the candidates
   */
  Optional<AliasChoice> chooseForPull(String nameOrAlias, Optional<String> model)
      throws AppException, CatalogException {
    Catalogs c = facade.catalogs();
    Optional<Alias> found = c.alias(nameOrAlias);
    if (found.isEmpty()) {
      if (model.isPresent()) {
        throw new UnknownModelException("--model chooses among the candidates of an alias, and \"" + nameOrAlias
            + "\" is no alias: run `soko catalog` to see the aliases, or pull the model by its name");
      }
      return Optional.empty();
    }
    Alias alias = found.get();
    Hardware hw = hardware();
    Recommendation.Limits limits = Recommendation.Limits.forHardware(hw);
    Recommendation.Pick pick = Recommendation.pick(alias, c, hw, limits);
    List<Manifest> usable = alias.candidates().stream().map(c::model).flatMap(Optional::stream)
        .filter(alias::servedBy).toList();
    if (model.isPresent()) {
      Optional<Manifest> named = usable.stream().filter(m -> m.name().value().equals(model.get())).findFirst();
      if (named.isEmpty()) {
        String listed = usable.isEmpty() ? "none is in a catalog"
            : String.join(", ", usable.stream().map(m -> m.name().value()).toList());
        String what = alias.candidates().stream().anyMatch(n -> n.value().equals(model.get()))
            ? "is a candidate of " + alias.name() + " that no catalog lists" : "is not a candidate of " + alias.name();
        throw new UnknownModelException("--model " + model.get() + " " + what + " (" + alias.task()
            + "); the candidates you can pull: " + listed);
      }
      return Optional.of(new AliasChoice(alias, named.get(), AliasChoice.How.NAMED, pick, hw, limits));
    }
    if (pick.model().isPresent()) {
      return Optional.of(new AliasChoice(alias, pick.model().get(), AliasChoice.How.RECOMMENDED, pick, hw, limits));
    }
    return c.resolve(nameOrAlias)
        .map(r -> new AliasChoice(alias, r.manifest(), AliasChoice.How.FIRST_LISTED, pick, hw, limits));
  }
}
