package soko.inventory;

import java.time.Instant;
import java.util.List;
import soko.store.ModelCheck;
import soko.store.StorageUse;
import soko.store.StoreRoots;

/**
 * Everything the Diagnostics screen and {@code soko diagnostics} show. Immutable.
 *
 * @param notices what the store has to tell, one line each (such as a link found inside it and
 *     moved aside)
 */
public record Diagnostics(Instant generatedAt, StoreRoots roots, String rootsOrigin, List<ModelCheck> models,
    StorageUse storage, Machine machine, List<EngineReport> engines, List<String> notices) {
  public Diagnostics {
    models = List.copyOf(models);
    engines = List.copyOf(engines);
    notices = List.copyOf(notices);
  }

  /** A report with no notices. */
  public Diagnostics(Instant generatedAt, StoreRoots roots, String rootsOrigin, List<ModelCheck> models,
      StorageUse storage, Machine machine, List<EngineReport> engines) {
    this(generatedAt, roots, rootsOrigin, models, storage, machine, engines, List.of());
  }
}
