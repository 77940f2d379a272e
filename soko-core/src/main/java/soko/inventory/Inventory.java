package soko.inventory;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import soko.store.InstalledModel;
import soko.store.ModelCheck;
import soko.store.StorageUse;
import soko.store.StoreException;
import soko.store.StoreView;

/** Builds the diagnostics report from the store's read-only view. Hashes nothing. */
public final class Inventory {
  private Inventory() {}

  public static Diagnostics report(StoreView store, String rootsOrigin, Machine machine, List<EngineReport> engines,
      Clock clock) throws StoreException {
    return report(store, rootsOrigin, machine, () -> engines, clock);
  }

  /**
   * Like {@link #report(StoreView, String, Machine, List, Clock)}, asking for the engines only
   * after reading the store, so the caller can probe them meanwhile.
   */
  public static Diagnostics report(StoreView store, String rootsOrigin, Machine machine,
      Supplier<List<EngineReport>> engines, Clock clock) throws StoreException {
    java.time.Instant at = clock.instant();
    List<InstalledModel> installed = store.installed();
    List<ModelCheck> models = store.checkWithoutHashing(installed);
    StorageUse usage = store.usage(installed);
    List<String> notices = store.notices();
    return new Diagnostics(at, store.roots(), rootsOrigin, models, usage, machine, engines.get(), notices);
  }
}
