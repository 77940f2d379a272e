package soko.acquisition;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Downloader} moves files. {@link #DEFAULTS} suits home connections; tests shorten
 * the timeouts and backoff. Immutable and thread-safe.
 *
 * @param http how connections are made: connect timeout, the deadline for a response head,
 *     {@code User-Agent}, proxy, TLS (see {@link HttpSettings})
 * @param stallTimeout longest time a body may go without a single new byte before the transfer is
 *     abandoned as stalled and retried (default 30 s)
 * @param minBytesPerSecond the slowest a body may arrive, measured over {@code rateWindow}: a
 *     server that sends less in a whole window is left as too slow and retried (default 1024, 1
 *     KiB/s); 0 turns the check off
 * @param rateWindow the window for {@code minBytesPerSecond} (default 60 s)
 * @param attemptsPerSource attempts on one source, for retry-worthy failures only, before the next
 *     source is tried (default 4)
 * @param initialBackoff wait before the second attempt; it doubles for each further attempt
 *     (default 1 s)
 * @param maxBackoff the longest wait between attempts (default 30 s)
 * @param parallelism files of one {@link Downloader#fetchAll} call fetched at the same time
 *     (default 3)
 * @param bufferSize bytes read, hashed and written per step (default 1 MiB)
 * @param connections connections one file is received over at once, as ranges, when its server
 *     answers ranges with a strong validator (default 4); 1 turns ranged downloads off
 * @param minRangeBytes the size of a range (default 16 MiB): a file is cut into ranges of about
 *     this size (at most 64, so larger for files over 1 GiB), which {@code min(connections, size /
 *     minRangeBytes)} connections take in file order; a file of less than twice this stays on one
 *     connection
 */
public record DownloadSettings(
    HttpSettings http,
    Duration stallTimeout,
    long minBytesPerSecond,
    Duration rateWindow,
    int attemptsPerSource,
    Duration initialBackoff,
    Duration maxBackoff,
    int parallelism,
    int bufferSize,
    int connections,
    long minRangeBytes) {

  /** The default {@code stallTimeout}: 30 s. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);
  /** The default {@code minBytesPerSecond}: 1 KiB/s. */
  public static final long DEFAULT_MIN_BYTES_PER_SECOND = 1024;
  /** The default {@code rateWindow}: 60 s. */
  public static final Duration DEFAULT_RATE_WINDOW = Duration.ofSeconds(60);
  /** The default {@code attemptsPerSource}: 4. */
  public static final int DEFAULT_ATTEMPTS_PER_SOURCE = 4;
  /** The default {@code initialBackoff}: 1 s. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  /** The default {@code maxBackoff}: 30 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /** The default {@code parallelism}: 3 files. */
  public static final int DEFAULT_PARALLELISM = 3;
  /** The default {@code bufferSize}: 1 MiB. */
  public static final int DEFAULT_BUFFER_SIZE = 1 << 20;
  /** The default {@code connections}: 4 per file. */
  public static final int DEFAULT_CONNECTIONS = 4;
  /** The default {@code minRangeBytes}: 16 MiB. */
  public static final long DEFAULT_MIN_RANGE_BYTES = 16L << 20;
  /** More connections per file than this is abuse of a server (aria2 allows 16 too). */
  public static final int MAX_CONNECTIONS = 16;
  /** More parallel files than this only adds contention for disk and bandwidth. */
  public static final int MAX_PARALLELISM = 16;

  /** Every default above, with {@link HttpSettings#DEFAULTS}. */
  public static final DownloadSettings DEFAULTS = new DownloadSettings(HttpSettings.DEFAULTS, DEFAULT_STALL_TIMEOUT,
      DEFAULT_MIN_BYTES_PER_SECOND, DEFAULT_RATE_WINDOW, DEFAULT_ATTEMPTS_PER_SOURCE, DEFAULT_INITIAL_BACKOFF,
      DEFAULT_MAX_BACKOFF, DEFAULT_PARALLELISM, DEFAULT_BUFFER_SIZE, DEFAULT_CONNECTIONS, DEFAULT_MIN_RANGE_BYTES);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if a timeout or window is not positive, a backoff or the rate
   *     is negative, {@code attemptsPerSource < 1}, {@code parallelism} is outside {@code 1..}{@link
   *     #MAX_PARALLELISM}, or {@code bufferSize} is outside 4 KiB..64 MiB
   */
  public DownloadSettings {
    Objects.requireNonNull(http, "http");
    positive("stallTimeout", stallTimeout);
    positive("rateWindow", rateWindow);
    notNegative("initialBackoff", initialBackoff);
    notNegative("maxBackoff", maxBackoff);
    if (minBytesPerSecond < 0) {
      throw new IllegalArgumentException("minBytesPerSecond < 0");
    }
    if (attemptsPerSource < 1) {
      throw new IllegalArgumentException("attemptsPerSource < 1");
    }
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism " + parallelism + " is outside 1.." + MAX_PARALLELISM);
    }
    if (bufferSize < 4096 || bufferSize > (64 << 20)) {
      throw new IllegalArgumentException("bufferSize " + bufferSize + " is outside 4096.." + (64 << 20));
    }
    if (connections < 1 || connections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("connections " + connections + " is outside 1.." + MAX_CONNECTIONS);
    }
    if (minRangeBytes < 4096) {
      throw new IllegalArgumentException("minRangeBytes < 4096");
    }
  }

  /**
   * The TCP (and TLS) connect timeout.
   *
   * @return {@code http().connectTimeout()}
   */
  public Duration connectTimeout() {
    return http.connectTimeout();
  }

  /**
   * The deadline for a response head, from sending the request.
   *
   * @return {@code http().responseTimeout()}
   */
  public Duration readTimeout() {
    return http.responseTimeout();
  }

  /**
   * The {@code User-Agent} header sent.
   *
   * @return {@code http().userAgent()}
   */
  public String userAgent() {
    return http.userAgent();
  }

  /**
   * A copy with other connection settings.
   *
   * @param h the connection settings
   * @return the copy
   */
  public DownloadSettings withHttp(HttpSettings h) {
    return new DownloadSettings(h, stallTimeout, minBytesPerSecond, rateWindow, attemptsPerSource, initialBackoff,
        maxBackoff, parallelism, bufferSize, connections, minRangeBytes);
  }

  /**
   * A copy with other timeouts.
   *
   * @param connect the connect timeout
   * @param read the deadline for a response head
   * @param stall the longest time a body may go without a new byte, positive
   * @return the copy
   * @throws IllegalArgumentException if a timeout is not positive
   */
  public DownloadSettings withTimeouts(Duration connect, Duration read, Duration stall) {
    return new DownloadSettings(http.withTimeouts(connect, read), stall, minBytesPerSecond, rateWindow,
        attemptsPerSource, initialBackoff, maxBackoff, parallelism, bufferSize, connections, minRangeBytes);
  }

  /**
   * A copy with another minimum rate.
   *
   * @param bytesPerSecond the slowest a body may arrive, {@code >= 0}; 0 turns the check off
   * @param window the window the rate is measured over, positive
   * @return the copy
   * @throws IllegalArgumentException if the rate is negative or the window is not positive
   */
  public DownloadSettings withMinimumRate(long bytesPerSecond, Duration window) {
    return new DownloadSettings(http, stallTimeout, bytesPerSecond, window, attemptsPerSource, initialBackoff,
        maxBackoff, parallelism, bufferSize, connections, minRangeBytes);
  }

  /**
   * A copy with another retry policy.
   *
   * @param attempts attempts per source, at least 1
   * @param initial the wait before the second attempt, {@code >= 0}
   * @param max the longest wait, {@code >= 0}
   * @return the copy
   * @throws IllegalArgumentException if {@code attempts < 1} or a wait is negative
   */
  public DownloadSettings withRetries(int attempts, Duration initial, Duration max) {
    return new DownloadSettings(http, stallTimeout, minBytesPerSecond, rateWindow, attempts, initial, max,
        parallelism, bufferSize, connections, minRangeBytes);
  }

  /**
   * A copy with another parallelism.
   *
   * @param files files fetched at the same time, {@code 1..}{@link #MAX_PARALLELISM}
   * @return the copy
   * @throws IllegalArgumentException if {@code files} is out of range
   */
  public DownloadSettings withParallelism(int files) {
    return new DownloadSettings(http, stallTimeout, minBytesPerSecond, rateWindow, attemptsPerSource, initialBackoff,
        maxBackoff, files, bufferSize, connections, minRangeBytes);
  }

  /**
   * A copy with another buffer size.
   *
   * @param bytes bytes per step, 4 KiB..64 MiB
   * @return the copy
   * @throws IllegalArgumentException if {@code bytes} is out of range
   */
  public DownloadSettings withBufferSize(int bytes) {
    return new DownloadSettings(http, stallTimeout, minBytesPerSecond, rateWindow, attemptsPerSource, initialBackoff,
        maxBackoff, parallelism, bytes, connections, minRangeBytes);
  }

  /**
   * A copy with another number of connections per file for ranged downloads; 1 turns them off.
   *
   * @param n connections per file, 1 to {@link #MAX_CONNECTIONS}
   * @return the copy
   * @throws IllegalArgumentException if {@code n} is out of range
   */
  public DownloadSettings withConnections(int n) {
    return new DownloadSettings(http, stallTimeout, minBytesPerSecond, rateWindow, attemptsPerSource, initialBackoff,
        maxBackoff, parallelism, bufferSize, n, minRangeBytes);
  }

  /**
   * A copy with another smallest range worth a connection of its own.
   *
   * @param bytes the smallest range in bytes, at least 4096
   * @return the copy
   * @throws IllegalArgumentException if {@code bytes} is under 4096
   */
  public DownloadSettings withMinRangeBytes(long bytes) {
    return new DownloadSettings(http, stallTimeout, minBytesPerSecond, rateWindow, attemptsPerSource, initialBackoff,
        maxBackoff, parallelism, bufferSize, connections, bytes);
  }

  /**
   * How many ranges a file of {@code size} bytes is received as: 1 means one stream.
   *
   * @param size the file's size in bytes
   * @return {@code min(connections, size / minRangeBytes)}, at least 1
   */
  public int rangesFor(long size) {
    return (int) Math.max(1, Math.min(connections, size / minRangeBytes));
  }

  /**
   * The wait after a failed attempt.
   *
   * @param attempt the number of the failed attempt, from 1
   * @return {@code initialBackoff} doubled {@code attempt - 1} times, at most {@code maxBackoff}
   * @throws IllegalArgumentException if {@code attempt < 1}
   */
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
