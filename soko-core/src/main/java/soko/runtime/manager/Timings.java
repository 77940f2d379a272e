package soko.runtime.manager;

import java.time.Duration;

/**
 * Where a job's time went.
 *
 * @param load loading models (zero when every session was already loaded)
 * @param run running them
 */
public record Timings(Duration load, Duration run) {
  /**
   * Checks the durations.
   *
   * @param load loading models, zero or more
   * @param run running them, zero or more
   * @throws IllegalArgumentException when a duration is negative
   */
  public Timings {
    if (load.isNegative() || run.isNegative()) {
      throw new IllegalArgumentException("negative timing");
    }
  }
}
