package soko.runtime.manager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineException;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.EngineSession;

/**
 * Loaded sessions, one per (model, task, engine), shared by reference counting.
 *
 * <ul>
 *   <li>The first caller loads; callers arriving meanwhile wait for that load and share its session.
 *       A failed load is reported to every waiting caller and nothing stays in the pool.
 *   <li>A session whose last lease closes is idle. {@link #sweepIdle()} unloads sessions idle for
 *       the idle time; with an idle time of zero a session is unloaded when its last lease closes.
 *   <li>Before a load, idle sessions are unloaded, least recently used first, until the loaded
 *       models' estimated sizes plus the new one fit the budget. Sessions in use are never unloaded,
 *       so the budget can be exceeded while they are: it is a target, not a hard limit.
 * </ul>
 *
 * <p>Thread-safe. The pool's lock is never held while a model loads or a session closes.
 */
final class SessionPool {
  record Key(String model, Task task, String engine) {}

  private final Object lock = new Object();
  private final Map<Key, Entry> entries = new LinkedHashMap<>();
  private final Clock clock;
  private final Duration idle;
  private final long budget;
  private int loads;

  SessionPool(Clock clock, Duration idle, long budget) {
    this.clock = clock;
    this.idle = idle;
    this.budget = budget;
  }

  /** One pooled session. Fields are guarded by the pool's lock. */
  final class Entry {
    final Key key;
    final long estimate;
    final CompletableFuture<EngineSession> loading = new CompletableFuture<>();
    int leases;
    Instant lastUsed;
    boolean removed;
    /** Out of the pool but still leased: closed when the last lease is released. */
    boolean closeOnRelease;

    Entry(Key key, long estimate) {
      this.key = key;
      this.estimate = estimate;
      this.lastUsed = clock.instant();
    }

    /**
     * Takes this session out of the pool, e.g. after its engine crashed: the next caller loads the
     * model again, through a fresh verification. Closed once its last lease is released.
     */
    void discard() {
      synchronized (lock) {
        if (entries.get(key) == this) {
          entries.remove(key);
        }
        removed = true;
        closeOnRelease = true;
      }
    }

    void release() {
      @Nullable EngineSession toClose = null;
      synchronized (lock) {
        leases--;
        lastUsed = clock.instant();
        if (leases == 0 && closeOnRelease) {
          closeOnRelease = false;
          toClose = loading.isDone() && !loading.isCompletedExceptionally() ? loading.getNow(null) : null;
        } else if (leases == 0 && idle.isZero() && !removed) {
          removed = true;
          entries.remove(key);
          toClose = loading.getNow(null);
        }
      }
      if (toClose != null) {
        toClose.close();
      }
    }
  }

  /** A session and whether this call loaded it (and how long that took). */
  record Acquired(Entry entry, EngineSession session, Optional<Duration> loaded) {}

  /**
   * Returns the pooled session for this model and task, loading it with {@code provider} when absent.
   * The caller must {@link Entry#release()} the entry exactly once.
   */
  Acquired acquire(VerifiedModel model, Task task, EngineProvider provider, EngineOptions options) throws EngineException {
    Key key = new Key(model.manifest().id(), task, provider.info().id() + " " + provider.info().version());
    Entry entry;
    boolean loader = false;
    synchronized (lock) {
      entry = entries.get(key);
      if (entry == null) {
        entry = new Entry(key, Math.max(1, model.manifest().totalSize()));
        entries.put(key, entry);
        loader = true;
      }
      entry.leases++;
      entry.lastUsed = clock.instant();
    }
    if (!loader) {
      return new Acquired(entry, await(entry), Optional.empty());
    }
    closeAll(evictFor(entry));
    long start = System.nanoTime();
    EngineSession session;
    try {
      session = provider.open(model, task, options);
    } catch (EngineException | RuntimeException | Error e) {
      synchronized (lock) {
        entry.leases--;
        entry.removed = true;
        entries.remove(key, entry);
      }
      entry.loading.completeExceptionally(e);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    synchronized (lock) {
      loads++;
    }
    entry.loading.complete(session);
    return new Acquired(entry, session, Optional.of(took));
  }

  private EngineSession await(Entry entry) throws EngineException {
    try {
      return entry.loading.get();
    } catch (ExecutionException e) {
      entry.release();
      if (e.getCause() instanceof EngineException ee) {
        EngineException again = copy(ee);
        again.addSuppressed(new Exception("reported by the caller that loaded " + entry.key.model()));
        throw again;
      }
      throw new EngineCrashedException("loading " + entry.key.model() + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      entry.release();
      throw new EngineCrashedException("interrupted while " + entry.key.model() + " was loading", e);
    }
  }

  /** The same failure for a second caller, keeping the original as its cause. */
  private static EngineException copy(EngineException e) {
    return switch (e) {
      case soko.runtime.ModelUnavailableException u -> new soko.runtime.ModelUnavailableException(u.getMessage(), u);
      case soko.runtime.AudioFormatException a -> a;
      case EngineCrashedException c -> new EngineCrashedException(c.getMessage(), c);
      default -> new EngineException(e.getMessage(), e);
    };
  }

  /** Idle entries to unload so that {@code incoming} fits the budget; removes them from the pool. */
  private List<EngineSession> evictFor(Entry incoming) {
    List<EngineSession> out = new ArrayList<>();
    synchronized (lock) {
      long used = 0;
      for (Entry e : entries.values()) {
        used += e.estimate;
      }
      List<Entry> idleOnes = entries.values().stream()
          .filter(e -> e != incoming && e.leases == 0 && e.loading.isDone())
          .sorted(Comparator.comparing((Entry e) -> e.lastUsed))
          .toList();
      for (Entry e : idleOnes) {
        if (used <= budget) {
          break;
        }
        e.removed = true;
        entries.remove(e.key);
        used -= e.estimate;
        EngineSession s = e.loading.getNow(null);
        if (s != null) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /**
   * Unloads sessions that nobody has used for the idle time, by the pool's clock.
   *
   * @return how many were unloaded
   */
  int sweepIdle() {
    List<EngineSession> out = new ArrayList<>();
    synchronized (lock) {
      Instant now = clock.instant();
      var it = entries.values().iterator();
      while (it.hasNext()) {
        Entry e = it.next();
        if (e.leases == 0 && e.loading.isDone() && !Duration.between(e.lastUsed, now).minus(idle).isNegative()) {
          e.removed = true;
          it.remove();
          EngineSession s = e.loading.getNow(null);
          if (s != null) {
            out.add(s);
          }
        }
      }
    }
    closeAll(out);
    return out.size();
  }

  /** Unloads every session, in use or not. */
  void closeAll() {
    List<EngineSession> out = new ArrayList<>();
    synchronized (lock) {
      for (Entry e : entries.values()) {
        e.removed = true;
        EngineSession s = e.loading.isDone() && !e.loading.isCompletedExceptionally() ? e.loading.getNow(null) : null;
        if (s != null) {
          out.add(s);
        } else {
          e.closeOnRelease = true; // still loading: its loader holds a lease and closes it on release
        }
      }
      entries.clear();
    }
    closeAll(out);
  }

  private static void closeAll(List<EngineSession> sessions) {
    for (EngineSession s : sessions) {
      s.close();
    }
  }

  List<LoadedModel> loaded() {
    synchronized (lock) {
      return entries.values().stream().filter(e -> e.loading.isDone() && !e.loading.isCompletedExceptionally())
          .map(e -> new LoadedModel(e.key.model(), e.key.task(), e.key.engine(), e.estimate, e.leases, e.lastUsed))
          .toList();
    }
  }

  /** How many times a model was loaded since the pool was made. */
  int loads() {
    synchronized (lock) {
      return loads;
    }
  }
}
