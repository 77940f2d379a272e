package soko.acquisition;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Aborts the current request of one fetch when the server is too slow: its response head is not
 * complete by the deadline (however it trickles in), its body brings no byte for the stall
 * timeout, or it brings fewer bytes than the minimum rate over a window. A socket timeout cannot
 * do this (it restarts with every byte, and cannot change between the head and the body), so the
 * fetch runs on a virtual thread and this watchdog interrupts it: a virtual thread interrupted in
 * a socket read closes the socket and the read fails at once. {@link #takeTrip()} then tells a
 * trip from a cancellation.
 *
 * <p>Used by one fetch on one (virtual) thread; the watching thread only reads the volatile state.
 */
final class Watchdog implements AutoCloseable {
  /** Why the watchdog stopped a request. */
  sealed interface Trip {
    /** The response head was not complete within {@code limit} of sending the request. */
    record HeadersLate(Duration limit) implements Trip {}

    /** No byte of the body for {@code limit}. */
    record Stalled(Duration limit) implements Trip {}

    /** Only {@code bytes} of the body in {@code window} (at least the rate window), under the minimum rate. */
    record TooSlow(long bytes, Duration window) implements Trip {}
  }

  private final Thread worker = Thread.currentThread();
  private final Duration headerDeadline;
  private final Duration stallTimeout;
  private final long minBytesPerSecond;
  private final Duration rateWindow;
  private final Thread thread;
  private volatile boolean watching;
  private volatile boolean body;
  private volatile long deadline;
  private volatile long received;
  private volatile long windowStart;
  private volatile long receivedAtWindowStart;
  private volatile @Nullable Trip tripped;
  private volatile boolean closed;

  Watchdog(DownloadSettings settings) {
    this.headerDeadline = settings.connectTimeout().plus(settings.readTimeout());
    this.stallTimeout = settings.stallTimeout();
    this.minBytesPerSecond = settings.minBytesPerSecond();
    this.rateWindow = settings.rateWindow();
    Duration shortest = settings.readTimeout().compareTo(stallTimeout) < 0 ? settings.readTimeout() : stallTimeout;
    long tickMillis = Math.clamp(shortest.toMillis() / 4, 5, 250);
    this.thread = Thread.ofVirtual().name("soko-download-watchdog").start(() -> watch(tickMillis));
  }

  /** A request is being sent; its response head must be complete within the connect plus read timeout. */
  void awaitingHeaders() {
    tripped = null;
    body = false;
    deadline = System.nanoTime() + headerDeadline.toNanos();
    watching = true;
  }

  /** The body is being read: each read must bring a byte within the stall timeout, and the window its minimum. */
  void receivingBody() {
    long now = System.nanoTime();
    windowStart = now;
    receivedAtWindowStart = received;
    deadline = now + stallTimeout.toNanos();
    body = true;
  }

  /** {@code n} more bytes of the body arrived. */
  void progressed(int n) {
    received += n;
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
      check();
    }
  }

  private synchronized void check() {
    if (closed || !watching || worker.isInterrupted()) {
      return;
    }
    long now = System.nanoTime();
    Trip trip = null;
    if (now - deadline > 0) {
      trip = body ? new Trip.Stalled(stallTimeout) : new Trip.HeadersLate(headerDeadline);
    } else if (body && minBytesPerSecond > 0 && now - windowStart >= rateWindow.toNanos()) {
      long got = received - receivedAtWindowStart;
      Duration elapsed = Duration.ofNanos(now - windowStart);
      // The bytes this window (at least rateWindow long: checks come at ticks) must bring at the minimum rate.
      long needed = minBytesPerSecond * elapsed.toMillis() / 1000;
      if (got < needed) {
        trip = new Trip.TooSlow(got, elapsed);
      } else {
        windowStart = now;
        receivedAtWindowStart = received;
      }
    }
    if (trip != null) {
      tripped = trip;
      watching = false;
      worker.interrupt();
    }
  }

  /** After this returns the worker is never interrupted by this watchdog again. */
  @Override
  public synchronized void close() {
    closed = true;
    watching = false;
    thread.interrupt();
  }
}
