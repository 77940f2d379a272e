package soko.app;

import java.util.List;
import java.util.Optional;
import soko.store.StoreException;

/** The storage budget in force, and pruning the store to fit it. */
final class Budgets {
  private Budgets() {}

  /**
   * The storage budget in force: {@code SOKO_BUDGET} when set (in {@link Settings#environment()}),
   * else the {@code budget} setting; none by default (nothing is ever evicted).
   *
   * @throws InvalidSettingException when the value in force is not a size
   */
  static Optional<BudgetSetting> inForce(Soko facade) {
    String env = facade.settings().environment().get(Soko.ENV_BUDGET);
    if (env != null && !env.isBlank()) {
      try {
        return Optional.of(new BudgetSetting(StorageBudget.parse(env), Soko.ENV_BUDGET));
      } catch (InvalidSettingException e) {
        throw new InvalidSettingException(Soko.ENV_BUDGET + ": " + e.getMessage() + " (or unset " + Soko.ENV_BUDGET + ")", e);
      }
    }
    return facade.config().get(ConfigFile.Key.BUDGET).map(v -> new BudgetSetting(StorageBudget.parse(v), "settings"));
  }

  /**
   * What the budget counts now and what {@link Soko#prune} would evict to get within it.
   *
   * @throws BudgetException when no budget is set, or evicting everything that may go is not enough
   *     (the message names what would have to go)
   */
  static Soko.Prune prunePlan(Soko facade) throws StoreException, BudgetException {
    BudgetSetting b = facade.budget().orElseThrow(() -> new BudgetException("no storage budget is set: set one with `soko"
        + " config set budget SIZE` (such as 20GiB) or SOKO_BUDGET"));
    Evictions.Plan p = Evictions.plan(facade.store(), b.budget(), Optional.empty());
    if (!p.fits()) {
      throw new BudgetException(p.refusal("the store"));
    }
    return new Soko.Prune(b, p.used(), p.evictions(), List.of());
  }

  /**
   * Evicts least recently used models (and versions kept for rollback) until the store is within
   * the budget: never a model in use, bundled or marked keep.
   */
  static Soko.Prune prune(Soko facade, boolean dryRun) throws StoreException, BudgetException {
    Soko.Prune plan = prunePlan(facade);
    if (dryRun) {
      return plan;
    }
    return new Soko.Prune(plan.budget(), plan.used(), plan.evictions(), Evictions.evict(facade.store(), plan.evictions()));
  }
}
