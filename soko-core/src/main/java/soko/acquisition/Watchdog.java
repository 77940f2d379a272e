package soko.acquisition;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Aborts the current connection of one fetch when the server is silent too long or the calling
 * thread is interrupted. A blocking socket read cannot be interrupted on a platform thread and its
 * socket timeout cannot change between the headers and the body, so a separate virtual thread
 * watches a deadline and closes the connection, which makes the blocked read fail at once.
 *
 * <p>Used by one fetch on one thread; the watching thread only reads the volatile state.
 */
final class Watchdog implements AutoCloseable {
  enum Trip { TIMED_OUT, STALLED, CANCELLED }

  private final Thread caller = Thread.currentThread();
  private final Duration readTimeout;
  private final Duration stallTimeout;
  private final Thread thread;
  private volatile @Nullable HttpURLConnection connection;
  private volatile long deadline;
  private volatile boolean body;
  private volatile @Nullable Trip tripped;
  private volatile boolean closed;

  Watchdog(Duration connectTimeout, Duration readTimeout, Duration stallTimeout) {
    this.readTimeout = connectTimeout.plus(readTimeout);
    this.stallTimeout = stallTimeout;
    Duration shortest = readTimeout.compareTo(stallTimeout) < 0 ? readTimeout : stallTimeout;
    long tickMillis = Math.clamp(shortest.toMillis() / 4, 5, 250);
    this.thread = Thread.ofVirtual().name("soko-download-watchdog").start(() -> watch(tickMillis));
  }

  /** A request was sent on {@code c}; its answer must come within the read timeout. */
  void awaitingHeaders(HttpURLConnection c) {
    tripped = null;
    body = false;
    deadline = System.nanoTime() + readTimeout.toNanos();
    connection = c;
  }

  /** The body is being read; each read must bring a byte within the stall timeout. */
  void receivingBody() {
    body = true;
    progressed();
  }

  void progressed() {
    deadline = System.nanoTime() + stallTimeout.toNanos();
  }

  /** No connection to watch. */
  void idle() {
    connection = null;
  }

  /** Why the watchdog closed the last connection, if it did. */
  Optional<Trip> tripped() {
    return Optional.ofNullable(tripped);
  }

  private void watch(long tickMillis) {
    while (!closed) {
      try {
        Thread.sleep(tickMillis);
      } catch (InterruptedException e) {
        return;
      }
      HttpURLConnection c = connection;
      if (c == null) {
        continue;
      }
      Trip trip = caller.isInterrupted() ? Trip.CANCELLED
          : System.nanoTime() - deadline > 0 ? (body ? Trip.STALLED : Trip.TIMED_OUT) : null;
      if (trip != null) {
        tripped = trip;
        connection = null;
        c.disconnect();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    connection = null;
    thread.interrupt();
  }
}
