package soko.store;

import java.nio.file.Path;
import java.time.Duration;

/** Another process held a store lock for longer than the timeout. Retry-worthy. Immutable once thrown. */
public final class StoreLockedException extends StoreException {
  /**
   * Makes the exception.
   *
   * @param lockFile the lock that was held
   * @param waited how long this process waited for it
   */
  public StoreLockedException(Path lockFile, Duration waited) {
    super("the store is busy: another Soko process held " + lockFile + " for " + waited.toMillis()
        + " ms; wait for it to finish and retry");
  }
}
