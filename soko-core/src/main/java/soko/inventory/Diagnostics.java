package soko.inventory;

import java.time.Instant;
import java.util.List;
import soko.store.ModelCheck;
import soko.store.StorageUse;
import soko.store.StoreRoots;

/**
 * Everything the Diagnostics screen and {@code soko diagnostics} show. Immutable and thread-safe
 * (the lists are copied).
 *
 * @param generatedAt when the report was made (taken before the store was read)
 * @param roots the store's data, cache and library folders
 * @param rootsOrigin how the roots were chosen: {@code --home}, {@code SOKO_HOME} or {@code platform
 *     default}
 * @param models one check per installed model, from {@code stat} only (nothing is hashed), in the
 *     store's order
 * @param storage the bytes the store uses and the free space on its file systems
 * @param machine the operating system, CPU, memory and Java runtime
 * @param engines the engines found, with what they probed on this machine; empty when none is on
 *     the module path
 * @param notices what the store has to tell, one line each (such as a link found inside it and
 *     moved aside)
 */
public record Diagnostics(Instant generatedAt, StoreRoots roots, String rootsOrigin, List<ModelCheck> models,
    StorageUse storage, Machine machine, List<EngineReport> engines, List<String> notices) {
  /** Copies the lists. */
  public Diagnostics {
    models = List.copyOf(models);
    engines = List.copyOf(engines);
    notices = List.copyOf(notices);
  }

  /**
   * A report with no notices.
   *
   * @param generatedAt when the report was made
   * @param roots the store's folders
   * @param rootsOrigin how the roots were chosen
   * @param models one check per installed model
   * @param storage the store's use of disk space
   * @param machine the machine
   * @param engines the engines found
   */
  public Diagnostics(Instant generatedAt, StoreRoots roots, String rootsOrigin, List<ModelCheck> models,
      StorageUse storage, Machine machine, List<EngineReport> engines) {
    this(generatedAt, roots, rootsOrigin, models, storage, machine, engines, List.of());
  }
}
