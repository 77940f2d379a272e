package soko.events;

/**
 * Receives {@link TransferEvent}s in the order given by the grammar on {@link TransferEvent}.
 *
 * <p>Rules for implementations:
 *
 * <ul>
 *   <li><b>Fast.</b> It is called on the thread that moves the bytes, after every buffer (often
 *       hundreds of times a second). Do not block, sleep, take contended locks or do I/O; hand the
 *       event to another thread or keep only the latest one. Wrap it in {@link ThrottledListener}
 *       to drop most {@link TransferEvent.Progress} events.
 *   <li><b>Thread-safe.</b> Files fetched in parallel report from several threads at once. The
 *       events of one file come from one thread at a time, in order.
 *   <li><b>Does not throw.</b> A producer catches any {@link RuntimeException} thrown here and
 *       ignores it, so a broken listener can never break a download; it only loses its events.
 * </ul>
 */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores every event. */
  ProgressListener NONE = event -> {};

  /**
   * Receives one event. Called on the transferring thread; must return quickly and not throw.
   *
   * @param event the event, never {@code null}
   */
  void on(TransferEvent event);
}
