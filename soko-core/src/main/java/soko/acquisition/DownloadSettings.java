package soko.acquisition;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Downloader} talks to servers. {@link #DEFAULTS} suits home connections; tests
 * shorten the timeouts and backoff.
 *
 * @param connectTimeout longest wait for a TCP (and TLS) connection (default 10 s)
 * @param readTimeout longest wait for a response's headers after the request is sent (default 30 s)
 * @param stallTimeout longest time a body may go without a single new byte before the transfer is
 *     abandoned as stalled and retried (default 30 s)
 * @param attemptsPerSource attempts on one source, for retry-worthy failures only, before the next
 *     source is tried (default 4)
 * @param initialBackoff wait before the second attempt; it doubles for each further attempt
 *     (default 1 s)
 * @param maxBackoff the longest wait between attempts (default 30 s)
 * @param parallelism files of one {@link Downloader#fetchAll} call fetched at the same time
 *     (default 3)
 * @param bufferSize bytes read, hashed and written per step (default 1 MiB)
 * @param userAgent the {@code User-Agent} header
 */
public record DownloadSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration stallTimeout,
    int attemptsPerSource,
    Duration initialBackoff,
    Duration maxBackoff,
    int parallelism,
    int bufferSize,
    String userAgent) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_ATTEMPTS_PER_SOURCE = 4;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final int DEFAULT_PARALLELISM = 3;
  public static final int DEFAULT_BUFFER_SIZE = 1 << 20;
  public static final String DEFAULT_USER_AGENT = "Soko/0.1";
  /** More parallel files than this only adds contention for disk and bandwidth. */
  public static final int MAX_PARALLELISM = 16;

  public static final DownloadSettings DEFAULTS = new DownloadSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
      DEFAULT_STALL_TIMEOUT, DEFAULT_ATTEMPTS_PER_SOURCE, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF,
      DEFAULT_PARALLELISM, DEFAULT_BUFFER_SIZE, DEFAULT_USER_AGENT);

  public DownloadSettings {
    positive("connectTimeout", connectTimeout);
    positive("readTimeout", readTimeout);
    positive("stallTimeout", stallTimeout);
    notNegative("initialBackoff", initialBackoff);
    notNegative("maxBackoff", maxBackoff);
    if (attemptsPerSource < 1) {
      throw new IllegalArgumentException("attemptsPerSource < 1");
    }
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism " + parallelism + " is outside 1.." + MAX_PARALLELISM);
    }
    if (bufferSize < 4096 || bufferSize > (64 << 20)) {
      throw new IllegalArgumentException("bufferSize " + bufferSize + " is outside 4096.." + (64 << 20));
    }
    Objects.requireNonNull(userAgent, "userAgent");
    if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw new IllegalArgumentException("userAgent must be printable ASCII");
    }
  }

  public DownloadSettings withTimeouts(Duration connect, Duration read, Duration stall) {
    return new DownloadSettings(connect, read, stall, attemptsPerSource, initialBackoff, maxBackoff, parallelism,
        bufferSize, userAgent);
  }

  public DownloadSettings withRetries(int attempts, Duration initial, Duration max) {
    return new DownloadSettings(connectTimeout, readTimeout, stallTimeout, attempts, initial, max, parallelism,
        bufferSize, userAgent);
  }

  public DownloadSettings withParallelism(int files) {
    return new DownloadSettings(connectTimeout, readTimeout, stallTimeout, attemptsPerSource, initialBackoff,
        maxBackoff, files, bufferSize, userAgent);
  }

  public DownloadSettings withBufferSize(int bytes) {
    return new DownloadSettings(connectTimeout, readTimeout, stallTimeout, attemptsPerSource, initialBackoff,
        maxBackoff, parallelism, bytes, userAgent);
  }

  /** The wait after failed attempt number {@code attempt} (from 1): doubling from the initial backoff, capped. */
  public Duration backoff(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt < 1");
    }
    Duration d = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " <= 0");
    }
  }

  private static void notNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " < 0");
    }
  }
}
