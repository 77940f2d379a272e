package soko.acquisition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import soko.manifest.ModelFile;
import soko.store.StoreException;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * The downloader's threads: each fetch runs on a virtual thread (a virtual thread blocked in a
 * socket read can be interrupted, which the watchdog and cancellation need), and the files of one
 * model are fetched a few at a time, all cancelled when one fails.
 */
final class Parallel {
  private Parallel() {}

  /** Work that fails the way a fetch fails. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws AcquisitionException, StoreException, IntegrityException;
  }

  /** Work on one file. */
  @FunctionalInterface
  interface PerFile<T> {
    T run(ModelFile file) throws AcquisitionException, StoreException, IntegrityException;
  }

  /**
   * Runs {@code work} on the calling thread when it is virtual, else on a virtual thread the caller
   * waits for. Interrupting the caller interrupts the worker (a cancel: the worker saves its
   * partial and ends), and the caller's interrupt status is set again afterwards.
   */
  static <T> T onVirtualThread(Work<T> work) throws AcquisitionException, StoreException, IntegrityException {
    if (Thread.currentThread().isVirtual()) {
      return work.run();
    }
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread worker = Thread.ofVirtual().name("soko-fetch").start(() -> {
      try {
        outcome.set(work.run());
      } catch (AcquisitionException | StoreException | IntegrityException | RuntimeException | Error e) {
        outcome.set(new Failure(e));
      }
    });
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        worker.interrupt();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Object o = outcome.get();
    if (o instanceof Failure(Throwable t)) {
      throw rethrow(t);
    }
    if (o == null) {
      throw new IllegalStateException("the download thread ended without a result");
    }
    @SuppressWarnings("unchecked")
    T result = (T) o;
    return result;
  }

  private record Failure(Throwable error) {}

  /**
   * Runs {@code task} on each file, at most {@code parallelism} at a time, on virtual threads that
   * end before this returns; files with the same sha256 run once and share the result. When one
   * fails, the others are interrupted (a cancel) and the first failure is thrown with the other
   * non-cancellation failures suppressed. Interrupting the caller cancels them all.
   *
   * @return the results in the order of {@code files}
   */
  static <T> List<T> each(List<ModelFile> files, int parallelism, PerFile<T> task,
      BiFunction<ModelFile, InterruptedException, DownloadCancelledException> cancelled)
      throws AcquisitionException, StoreException, IntegrityException {
    Map<Digest, ModelFile> unique = new LinkedHashMap<>();
    files.forEach(f -> unique.putIfAbsent(f.sha256(), f));
    if (unique.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, unique.size()),
        Thread.ofVirtual().name("soko-download-", 1).factory());
    CompletionService<T> done = new ExecutorCompletionService<>(pool);
    Map<Future<T>, ModelFile> futures = new LinkedHashMap<>();
    for (ModelFile f : unique.values()) {
      futures.put(done.submit(() -> {
        try {
          return task.run(f);
        } catch (AcquisitionException | StoreException | IntegrityException e) {
          throw new Wrapped(e);
        }
      }), f);
    }
    Map<Digest, T> results = new LinkedHashMap<>();
    List<Throwable> failures = new ArrayList<>();
    boolean interrupted = false;
    try {
      for (int i = 0; i < futures.size(); i++) {
        Future<T> next;
        try {
          next = done.take();
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
        try {
          results.put(futures.get(next).sha256(), next.get());
        } catch (CancellationException e) {
          // cancelled after another file failed
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() instanceof Wrapped w ? w.getCause() : e.getCause();
          if (failures.isEmpty()) {
            futures.keySet().forEach(f -> f.cancel(true)); // the others stop and keep their partials
          }
          if (failures.isEmpty() || !(cause instanceof DownloadCancelledException)) {
            failures.add(cause);
          }
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
    } finally {
      // Cancelled futures complete at once; wait for their threads, so partials are saved and unlocked.
      futures.keySet().forEach(f -> f.cancel(true));
      pool.shutdownNow();
      awaitQuietly(pool);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      ModelFile first = unique.values().stream().filter(f -> !results.containsKey(f.sha256())).findFirst()
          .orElse(unique.values().iterator().next());
      throw cancelled.apply(first, new InterruptedException("interrupted"));
    }
    if (!failures.isEmpty()) {
      Throwable first = failures.getFirst();
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw rethrow(first);
    }
    return files.stream().map(f -> results.get(f.sha256())).toList();
  }

  /** Carries a checked failure out of a Callable. */
  private static final class Wrapped extends Exception {
    Wrapped(Exception cause) {
      super(cause);
    }
  }

  private static RuntimeException rethrow(Throwable t) throws AcquisitionException, StoreException, IntegrityException {
    switch (t) {
      case AcquisitionException a -> throw a;
      case StoreException s -> throw s;
      case IntegrityException i -> throw i;
      case RuntimeException r -> throw r;
      case Error err -> throw err;
      default -> throw new IllegalStateException("unexpected failure: " + t, t);
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
