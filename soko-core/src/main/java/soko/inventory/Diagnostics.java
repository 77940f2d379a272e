package soko.inventory;

import java.time.Instant;
import java.util.List;
import soko.store.ModelCheck;
import soko.store.StorageUse;
import soko.store.StoreRoots;

/** Everything the Diagnostics screen and {@code soko diagnostics} show. Immutable. */
public record Diagnostics(Instant generatedAt, StoreRoots roots, String rootsOrigin, List<ModelCheck> models,
    StorageUse storage, Machine machine, List<EngineReport> engines) {
  public Diagnostics {
    models = List.copyOf(models);
    engines = List.copyOf(engines);
  }
}
