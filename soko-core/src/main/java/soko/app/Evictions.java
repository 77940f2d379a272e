package soko.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.store.InstalledModel;
import soko.store.ModelNotInstalledException;
import soko.store.Store;
import soko.store.StoreException;
import soko.verification.Digest;

/**
 * What the storage budget evicts, and evicting it. The budget counts the blobs of installed models
 * and of versions kept for rollback, each shared blob once. When an install would go over it:
 *
 * <ol>
 *   <li>versions kept for rollback go first, least recently used model first;
 *   <li>then whole models, least recently used first (the last time an engine opened it, or its
 *       install time when it was never used);
 *   <li>never a model that is held (open in an engine of a running process, or being installed), a
 *       bundled model, one the user marked keep, or the model being installed;
 *   <li>only as many as needed: each eviction counts only the blobs no remaining model needs.
 * </ol>
 *
 * Evicting is {@link Store#remove} (or dropping a kept version), which is resumable: a kill at any
 * point leaves no model half-removed. A model that became held between the plan and the eviction
 * is skipped and said so.
 */
final class Evictions {
  private Evictions() {}

  /**
   * A plan.
   *
   * @param used bytes the budget counts now
   * @param incoming bytes the install adds (blobs the store lacks)
   * @param evictions what goes, in order
   * @param freed what the evictions free
   * @param protectedModels what cannot go and why, such as "whisper-base 1.0.0 (kept)": for the refusal
   */
  record Plan(StorageBudget budget, long used, long incoming, List<Eviction> evictions, long freed,
      List<String> protectedModels) {
    Plan {
      evictions = List.copyOf(evictions);
      protectedModels = List.copyOf(protectedModels);
    }

    boolean fits() {
      return used + incoming - freed <= budget.bytes();
    }

    /** Why it cannot fit, with what would have to go and how to make room. */
    String refusal(String what) {
      return what + " needs " + Bytes.human(used + incoming - budget.bytes()) + " more than the budget of " + budget
          + " allows (" + Bytes.human(used) + " used" + (incoming > 0 ? ", " + Bytes.human(incoming) + " to add" : "")
          + (evictions.isEmpty() ? "), and nothing may be evicted" : "), and evicting everything that may go frees only "
              + Bytes.human(freed))
          + (protectedModels.isEmpty() ? "" : "; what would have to go: " + String.join(", ", protectedModels))
          + ": raise the budget (`soko config set budget SIZE`), unmark a model (`soko keep --unset NAME`) or remove"
          + " one (`soko rm NAME`)";
    }
  }

  private record Entry(ModelName name, String version, boolean previous, Manifest manifest, Instant lastUse,
      Optional<Instant> lastUsed, Optional<String> protection) {}

  /** What installing {@code incoming} (or nothing, for a prune) would evict under {@code budget}. */
  static Plan plan(Store store, StorageBudget budget, Optional<Manifest> incoming) throws StoreException {
    Set<String> held = store.held();
    List<Entry> entries = new ArrayList<>();
    for (InstalledModel m : store.installed()) {
      ModelName name = m.manifest().name();
      Optional<Instant> used = store.lastUsed(name);
      Instant lastUse = used.filter(u -> u.isAfter(m.installedAt())).orElse(m.installedAt());
      Optional<String> protection = incoming.filter(i -> i.name().equals(name)).isPresent() ? Optional.of("being installed")
          : held.contains(m.manifest().id()) ? Optional.of("in use")
          : store.kept(name) ? Optional.of("kept")
          : m.manifest().bundled() ? Optional.of("bundled")
          : Optional.empty();
      entries.add(new Entry(name, m.manifest().version().text(), false, m.manifest(), lastUse, used, protection));
      Optional<InstalledModel> previous = store.previous(name);
      if (previous.isPresent()) {
        Manifest p = previous.get().manifest();
        entries.add(new Entry(name, p.version().text(), true, p, lastUse, used,
            held.contains(p.id()) ? Optional.of("in use") : Optional.empty()));
      }
    }
    Map<Digest, Long> sizes = new HashMap<>();
    Map<Digest, Integer> users = new HashMap<>();
    for (Entry e : entries) {
      for (Digest d : blobs(e.manifest(), sizes)) {
        users.merge(d, 1, Integer::sum);
      }
    }
    long used = users.keySet().stream().mapToLong(sizes::get).sum();
    Set<Digest> incomingBlobs = incoming.map(i -> blobs(i, sizes)).orElse(Set.of());
    long adds = incomingBlobs.stream().filter(d -> !users.containsKey(d)).mapToLong(sizes::get).sum();
    List<Entry> order = entries.stream().filter(e -> e.protection().isEmpty())
        .sorted(Comparator.comparing((Entry e) -> !e.previous()).thenComparing(Entry::lastUse)
            .thenComparing(e -> e.name().value()))
        .toList();
    List<Eviction> out = new ArrayList<>();
    long freed = 0;
    for (Entry e : order) {
      if (used + adds - freed <= budget.bytes()) {
        break;
      }
      long frees = 0;
      for (Digest d : blobs(e.manifest(), sizes)) {
        if (users.merge(d, -1, Integer::sum) == 0 && !incomingBlobs.contains(d)) {
          frees += sizes.get(d);
        }
      }
      freed += frees;
      out.add(new Eviction(e.name().value(), e.version(), e.previous(), frees, e.lastUsed()));
    }
    List<String> kept = entries.stream().filter(e -> e.protection().isPresent())
        .map(e -> e.name() + " " + e.version() + " (" + e.protection().get() + ")").toList();
    return new Plan(budget, used, adds, out, freed, kept);
  }

  /** The bytes the budget counts now: installed models and kept versions, each shared blob once. */
  static long used(Store store) throws StoreException {
    return plan(store, new StorageBudget(StorageBudget.MAX, "1PiB"), Optional.empty()).used();
  }

  private static Set<Digest> blobs(Manifest m, Map<Digest, Long> sizes) {
    Set<Digest> out = new java.util.HashSet<>();
    for (ModelFile f : m.files()) {
      sizes.put(f.sha256(), f.size());
      out.add(f.sha256());
    }
    return out;
  }

  /**
   * Evicts, in order, skipping what became held since the plan. Returns one line per eviction done
   * or skipped.
   */
  static List<String> evict(Store store, List<Eviction> evictions) throws StoreException {
    List<String> lines = new ArrayList<>();
    for (Eviction e : evictions) {
      ModelName name = ModelName.parse(e.name());
      String id = e.name() + "@" + e.version();
      if (store.held().contains(id)) {
        lines.add("kept " + e.describe() + ": it is in use now");
        continue;
      }
      if (e.previousVersion()) {
        store.dropPrevious(name);
      } else {
        Optional<InstalledModel> now = store.installed(name);
        if (now.isEmpty() || !now.get().manifest().version().text().equals(e.version())) {
          lines.add("kept " + e.describe() + ": it changed since the plan");
          continue;
        }
        try {
          store.remove(name);
        } catch (ModelNotInstalledException gone) {
          continue; // removed meanwhile by another process
        }
      }
      lines.add("evicted " + e.describe());
    }
    return lines;
  }
}
