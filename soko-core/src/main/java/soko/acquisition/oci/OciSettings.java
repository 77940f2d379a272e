package soko.acquisition.oci;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How {@link OciClient} talks to registries. Resolved by the caller ({@code soko.app}); nothing
 * here is read from the environment. Timeouts, the {@code User-Agent}, proxies and TLS trust are
 * the {@code soko.acquisition.Connector}'s, as for every connection. Immutable; thread-safe when the
 * credential store is (as the ones of {@link Credentials} are).
 *
 * @param insecureRegistries hosts ({@code host[:port]}) reached over plain http, where credentials
 *     may travel unencrypted; no registry is insecure unless listed (not even localhost)
 * @param credentials where credentials come from; {@link CredentialStore#ANONYMOUS} for none
 * @param clock decides when bearer tokens expire
 * @param monolithicLimit blobs up to this many bytes are pushed with one PUT; larger ones in chunks
 * @param chunkSize bytes per PATCH for chunked pushes (raised to the registry's OCI-Chunk-Min-Length)
 * @param uploadState where chunked pushes record their upload location and offset, so a push
 *     interrupted by a crash continues where it stopped; empty to keep no state
 * @param attempts how many times a download tries a registry blob before giving up (at least 1);
 *     {@code soko.app} passes it to the downloader for registry pulls
 * @param backoff the wait before the second attempt; doubled for each further attempt
 */
public record OciSettings(
    Set<String> insecureRegistries,
    CredentialStore credentials,
    Clock clock,
    long monolithicLimit,
    int chunkSize,
    Optional<Path> uploadState,
    int attempts,
    Duration backoff) {

  /** 64 MiB: one PUT up to here, as the research recommends (OCI.md §6.3). */
  public static final long DEFAULT_MONOLITHIC_LIMIT = 64L << 20;
  /** 32 MiB chunks. */
  public static final int DEFAULT_CHUNK_SIZE = 32 << 20;
  /** The default {@code attempts}: 4. */
  public static final int DEFAULT_ATTEMPTS = 4;
  /** The default {@code backoff}: 1 s. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

  /**
   * Lower-cases and copies the insecure hosts, and checks the figures.
   *
   * @throws IllegalArgumentException if a size or {@code attempts} is below its minimum, or the
   *     backoff is negative
   */
  public OciSettings {
    insecureRegistries = insecureRegistries.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    if (monolithicLimit < 0) {
      throw new IllegalArgumentException("monolithicLimit < 0");
    }
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize < 1");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts < 1");
    }
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("backoff < 0");
    }
  }

  /**
   * The defaults.
   *
   * @return anonymous, https only, default chunking and retries, no upload state, the system clock
   */
  public static OciSettings defaults() {
    return new OciSettings(Set.of(), CredentialStore.ANONYMOUS, Clock.systemUTC(), DEFAULT_MONOLITHIC_LIMIT,
        DEFAULT_CHUNK_SIZE, Optional.empty(), DEFAULT_ATTEMPTS, DEFAULT_BACKOFF);
  }

  /**
   * A copy that reaches some registries over plain http.
   *
   * @param registries hosts ({@code host[:port]}), any case
   * @return the copy
   */
  public OciSettings withInsecure(Set<String> registries) {
    return new OciSettings(registries, credentials, clock, monolithicLimit, chunkSize, uploadState, attempts, backoff);
  }

  /**
   * A copy with another credential source.
   *
   * @param store where credentials come from
   * @return the copy
   */
  public OciSettings withCredentials(CredentialStore store) {
    return new OciSettings(insecureRegistries, store, clock, monolithicLimit, chunkSize, uploadState, attempts, backoff);
  }

  /**
   * A copy with another clock.
   *
   * @param c decides when bearer tokens expire
   * @return the copy
   */
  public OciSettings withClock(Clock c) {
    return new OciSettings(insecureRegistries, credentials, c, monolithicLimit, chunkSize, uploadState, attempts, backoff);
  }

  /**
   * A copy with other push sizes.
   *
   * @param monolithicUpTo blobs up to this many bytes are pushed with one PUT
   * @param chunk bytes per PATCH for larger blobs
   * @return the copy
   * @throws IllegalArgumentException if a size is below its minimum
   */
  public OciSettings withChunking(long monolithicUpTo, int chunk) {
    return new OciSettings(insecureRegistries, credentials, clock, monolithicUpTo, chunk, uploadState, attempts, backoff);
  }

  /**
   * A copy that records chunked pushes, so they continue after a crash.
   *
   * @param directory where the upload state is kept
   * @return the copy
   */
  public OciSettings withUploadState(Path directory) {
    return new OciSettings(insecureRegistries, credentials, clock, monolithicLimit, chunkSize, Optional.of(directory), attempts,
        backoff);
  }

  /**
   * A copy with another retry policy.
   *
   * @param n attempts per blob, at least 1
   * @param firstBackoff the wait before the second attempt, {@code >= 0}
   * @return the copy
   * @throws IllegalArgumentException if {@code n < 1} or the backoff is negative
   */
  public OciSettings withRetries(int n, Duration firstBackoff) {
    return new OciSettings(insecureRegistries, credentials, clock, monolithicLimit, chunkSize, uploadState, n, firstBackoff);
  }

  boolean insecure(String registry) {
    return insecureRegistries.contains(registry);
  }
}
