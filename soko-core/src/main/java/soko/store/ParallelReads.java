package soko.store;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Applies one piece of work to many store entries on up to one thread per core: the one
 * thread-pool helper of the store. Small reads (a ref and its manifest, a {@code stat} and a
 * record, a blob folder's listing) go in contiguous slices, one per thread, since a thousand
 * models mean ten thousand of them; long jobs (hashing a file at about 1 GB/s per core) go one per
 * task, so a large file does not hold up a slice of small ones.
 */
final class ParallelReads {
  /** Below this many small reads per thread, one thread is faster. */
  static final int SMALL_READS_PER_THREAD = 64;

  private ParallelReads() {}

  /** Work on one item that may fail with a store error. */
  interface Work<T, R> {
    R apply(T item) throws StoreException;
  }

  /**
   * The results of {@code work} on every item, in order. The first store error is thrown once
   * every task has stopped; other failures become an {@link IllegalStateException}.
   *
   * @param minPerThread items per thread below which fewer threads are used: 1 for long jobs (then
   *     each item is its own task), more for small reads (then each thread takes one slice)
   * @param what names the work in messages, such as "checking"
   */
  static <T, R> List<R> map(List<T> items, int minPerThread, String what, Work<T, R> work) throws StoreException {
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), items.size() / Math.max(1, minPerThread));
    if (threads <= 1) {
      List<R> out = new ArrayList<>(items.size());
      for (T item : items) {
        out.add(work.apply(item));
      }
      return out;
    }
    int tasks = minPerThread <= 1 ? items.size() : threads;
    List<Future<List<R>>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads,
        Thread.ofPlatform().name("soko-" + what + "-", 0).daemon().factory())) {
      for (int t = 0; t < tasks; t++) {
        List<T> slice = items.subList(items.size() * t / tasks, items.size() * (t + 1) / tasks);
        futures.add(pool.submit(() -> {
          List<R> out = new ArrayList<>(slice.size());
          for (T item : slice) {
            out.add(work.apply(item));
          }
          return out;
        }));
      }
      List<R> out = new ArrayList<>(items.size());
      for (Future<List<R>> fu : futures) {
        try {
          out.addAll(fu.get());
        } catch (ExecutionException e) {
          futures.forEach(x -> x.cancel(true));
          if (e.getCause() instanceof StoreException se) {
            throw se;
          }
          throw new IllegalStateException(what + " " + items.size() + " store entries failed", e.getCause());
        } catch (InterruptedException e) {
          futures.forEach(x -> x.cancel(true));
          Thread.currentThread().interrupt();
          throw new StoreIOException("interrupted while " + what + " " + items.size() + " store entries",
              new InterruptedIOException("interrupted"));
        }
      }
      return out;
    }
  }
}
