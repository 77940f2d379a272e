package soko.acquisition;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Aborts the current request of one fetch when the server is silent too long. HttpURLConnection's
 * socket timeout cannot change between the headers and the body, and its {@code disconnect()}
 * waits behind a blocked body read, so instead the fetch runs on a virtual thread and this
 * watchdog interrupts it: a virtual thread interrupted in a socket read closes the socket and the
 * read fails at once. {@link #tripped()} then tells a timeout from a cancellation.
 *
 * <p>Used by one fetch on one (virtual) thread; the watching thread only reads the volatile state.
 */
final class Watchdog implements AutoCloseable {
  enum Trip { TIMED_OUT, STALLED }

  private final Thread worker = Thread.currentThread();
  private final Duration readTimeout;
  private final Duration stallTimeout;
  private final Thread thread;
  private volatile boolean watching;
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

  /** A request is being sent; its answer's headers must come within the connect plus read timeout. */
  void awaitingHeaders() {
    tripped = null;
    body = false;
    deadline = System.nanoTime() + readTimeout.toNanos();
    watching = true;
  }

  /** The body is being read; each read must bring a byte within the stall timeout. */
  void receivingBody() {
    body = true;
    progressed();
  }

  void progressed() {
    deadline = System.nanoTime() + stallTimeout.toNanos();
  }

  /** Nothing to watch between requests. */
  void idle() {
    watching = false;
  }

  /**
   * Whether this watchdog interrupted the worker, and why; consumes the trip and clears the
   * interrupt it caused. An interrupt without a trip is a cancellation. Call on the worker thread.
   */
  synchronized Optional<Trip> takeTrip() {
    Optional<Trip> t = Optional.ofNullable(tripped);
    if (t.isPresent()) {
      tripped = null;
      Thread.interrupted();
    }
    return t;
  }

  private void watch(long tickMillis) {
    while (!closed) {
      try {
        Thread.sleep(tickMillis);
      } catch (InterruptedException e) {
        return;
      }
      trip();
    }
  }

  private synchronized void trip() {
    if (closed || !watching || worker.isInterrupted() || System.nanoTime() - deadline <= 0) {
      return;
    }
    tripped = body ? Trip.STALLED : Trip.TIMED_OUT;
    watching = false;
    worker.interrupt();
  }

  /** After this returns the worker is never interrupted by this watchdog again. */
  @Override
  public synchronized void close() {
    closed = true;
    watching = false;
    thread.interrupt();
  }
}
