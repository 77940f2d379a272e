package soko.runtime.manager;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import soko.manifest.Manifest;
import soko.store.Store;
import soko.store.StoreException;

/**
 * The store holds of the models a runtime manager has loaded, by {@code name@version}: the storage
 * budget never evicts a held model. Released when the model is unloaded or the manager closes.
 * Thread-safe.
 */
final class Holds implements AutoCloseable {
  private final Store store;
  private final Map<String, Store.Hold> held = new ConcurrentHashMap<>();

  Holds(Store store) {
    this.store = store;
  }

  /**
   * An engine is about to open {@code m}: unless it is held already, records the use (one small
   * write per load, none per inference) and holds the model so that the budget does not evict it
   * while it is loaded. Both are best-effort: a full disk must not stop a transcription.
   */
  void opening(Manifest m) {
    if (held.containsKey(m.id())) {
      return;
    }
    try {
      store.recordUse(m.name());
    } catch (StoreException e) {
      // the least-recently-used order then sees an older use; nothing else depends on it
    }
    try {
      Store.Hold h = store.hold(m);
      if (held.putIfAbsent(m.id(), h) != null) {
        h.close();
      }
    } catch (StoreException e) {
      // without a hold the budget may evict the model; its open files stay readable meanwhile
    }
  }

  /** Releases the holds of models not in {@code loaded} ({@code name@version}). */
  void keepOnly(Set<String> loaded) {
    held.entrySet().removeIf(e -> {
      if (loaded.contains(e.getKey())) {
        return false;
      }
      e.getValue().close();
      return true;
    });
  }

  @Override
  public void close() {
    held.values().forEach(Store.Hold::close);
    held.clear();
  }
}
