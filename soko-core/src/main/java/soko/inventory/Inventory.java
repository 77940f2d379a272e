package soko.inventory;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import soko.store.InstalledModel;
import soko.store.ModelCheck;
import soko.store.StorageUse;
import soko.store.StoreException;
import soko.store.StoreView;

/**
 * Builds the diagnostics report from the store's read-only view. Hashes nothing. Thread-safe (no
 * state); as safe to call concurrently as the {@link StoreView} given.
 */
public final class Inventory {
  private Inventory() {}

  /**
   * Reads the store (installed models, {@code stat} checks, disk use, notices) and assembles the
   * report.
   *
   * @param store the store's read-only view
   * @param rootsOrigin how the roots were chosen, shown as is
   * @param machine the machine, probed by the caller
   * @param engines the engines found
   * @param clock gives {@link Diagnostics#generatedAt()}
   * @return the report
   * @throws StoreException if the store cannot be read (such as a corrupt record or a folder
   *     without permission); the message says which file and how to fix it
   */
  public static Diagnostics report(StoreView store, String rootsOrigin, Machine machine, List<EngineReport> engines,
      Clock clock) throws StoreException {
    return report(store, rootsOrigin, machine, () -> engines, clock);
  }

  /**
   * Like {@link #report(StoreView, String, Machine, List, Clock)}, asking for the engines only
   * after reading the store, so the caller can probe them meanwhile.
   *
   * @param store the store's read-only view
   * @param rootsOrigin how the roots were chosen, shown as is
   * @param machine the machine, probed by the caller
   * @param engines called once, on the calling thread, after the store was read
   * @param clock gives {@link Diagnostics#generatedAt()}
   * @return the report
   * @throws StoreException if the store cannot be read; the message says which file and how to fix
   *     it
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
