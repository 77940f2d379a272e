package soko.events;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Passes at most one {@link TransferEvent.Progress} per file per {@code interval} to a delegate.
 *
 * <p>Every other event is passed at once, and a progress event that completes its file ({@code
 * bytesDone == totalBytes}) or follows a non-progress event of the same file is always passed, so
 * a display never freezes at 99% or skips the first figure. Time comes from the given {@link
 * InstantSource}, so tests script the clock instead of sleeping.
 *
 * <p>Thread-safe; does not synchronize while calling the delegate.
 */
public final class ThrottledListener implements ProgressListener {
  private final ProgressListener delegate;
  private final Duration interval;
  private final InstantSource clock;
  /** The instant the last progress event of each file was passed; absent: pass the next one. */
  private final ConcurrentMap<String, Instant> lastPassed = new ConcurrentHashMap<>();

  /**
   * Wraps {@code delegate}.
   *
   * @param delegate the listener that receives the passed events; it must itself follow the rules
   *     of {@link ProgressListener}, since it is called on the transferring threads
   * @param interval the least time between two progress events of one file; {@link Duration#ZERO}
   *     passes every event
   * @param clock the source of "now", usually {@link InstantSource#system()}
   * @throws IllegalArgumentException if {@code interval} is negative
   */
  public ThrottledListener(ProgressListener delegate, Duration interval, InstantSource clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval < 0");
    }
  }

  @Override
  public void on(TransferEvent event) {
    if (!(event instanceof TransferEvent.Progress p)) {
      lastPassed.remove(event.file());
      delegate.on(event);
      return;
    }
    Instant now = clock.instant();
    boolean complete = p.bytesDone() == p.totalBytes();
    boolean[] pass = {false};
    lastPassed.compute(p.file(), (file, last) -> {
      if (complete || last == null || !now.isBefore(last.plus(interval))) {
        pass[0] = true;
        return now;
      }
      return last;
    });
    if (pass[0]) {
      delegate.on(event);
    }
  }
}
