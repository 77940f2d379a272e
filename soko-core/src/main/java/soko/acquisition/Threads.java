package soko.acquisition;

/** Joining threads without giving up an interrupt. */
final class Threads {
  private Threads() {}

  /** Waits for {@code t} to end; an interrupt meanwhile is kept and restored afterwards. */
  static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
