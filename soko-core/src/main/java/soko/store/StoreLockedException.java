package soko.store;

import java.nio.file.Path;
import java.time.Duration;

/** Another process held a store lock for longer than the timeout. Retry-worthy. */
public final class StoreLockedException extends StoreException {
  public StoreLockedException(Path lockFile, Duration waited) {
    super("the store is busy: another Soko process held " + lockFile + " for " + waited.toMillis()
        + " ms; wait for it to finish and retry");
  }
}
