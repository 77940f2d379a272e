package soko.inventory;

import java.time.Clock;
import java.util.List;
import soko.store.ModelCheck;
import soko.store.StoreException;
import soko.store.StoreView;

/** Builds the diagnostics report from the store's read-only view. Hashes nothing. */
public final class Inventory {
  private Inventory() {}

  public static Diagnostics report(StoreView store, String rootsOrigin, Machine machine, List<EngineReport> engines,
      Clock clock) throws StoreException {
    List<ModelCheck> models = store.checkWithoutHashing(store.installed());
    return new Diagnostics(clock.instant(), store.roots(), rootsOrigin, models, store.usage(), machine, engines);
  }
}
