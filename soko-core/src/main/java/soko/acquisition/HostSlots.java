package soko.acquisition;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * The per-host limit on the connections of ranged downloads: however many files are fetched at
 * once ({@link DownloadSettings#parallelism()}) and however many ranges each is split into, at
 * most {@value #PER_HOST} range connections go to one host (and port) at a time from one {@link
 * Downloader}; a range waits for a slot. Single-stream downloads take no slot (their number is
 * bounded by the parallelism). Thread-safe.
 */
final class HostSlots {
  /** Range connections per host at once; aria2's and hf_transfer's usual figures are 4 to 16. */
  static final int PER_HOST = 8;

  private final ConcurrentMap<String, Semaphore> hosts = new ConcurrentHashMap<>();

  /** Waits for a slot for a connection to {@code uri}'s host; release it with {@link #release}. */
  void acquire(URI uri) throws InterruptedException {
    slots(uri).acquire();
  }

  void release(URI uri) {
    slots(uri).release();
  }

  private Semaphore slots(URI uri) {
    String key = String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + uri.getPort();
    return hosts.computeIfAbsent(key, k -> new Semaphore(PER_HOST, true));
  }
}
