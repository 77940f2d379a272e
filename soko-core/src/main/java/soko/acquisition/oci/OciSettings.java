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
 * the {@code soko.acquisition.Connector}'s, as for every connection.
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
  public static final int DEFAULT_ATTEMPTS = 4;
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

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

  /** Anonymous, https only, default chunking, no upload state. */
  public static OciSettings defaults() {
    return new OciSettings(Set.of(), CredentialStore.ANONYMOUS, Clock.systemUTC(), DEFAULT_MONOLITHIC_LIMIT,
        DEFAULT_CHUNK_SIZE, Optional.empty(), DEFAULT_ATTEMPTS, DEFAULT_BACKOFF);
  }

  public OciSettings withInsecure(Set<String> registries) {
    return new OciSettings(registries, credentials, clock, monolithicLimit, chunkSize, uploadState, attempts, backoff);
  }

  public OciSettings withCredentials(CredentialStore store) {
    return new OciSettings(insecureRegistries, store, clock, monolithicLimit, chunkSize, uploadState, attempts, backoff);
  }

  public OciSettings withClock(Clock c) {
    return new OciSettings(insecureRegistries, credentials, c, monolithicLimit, chunkSize, uploadState, attempts, backoff);
  }

  public OciSettings withChunking(long monolithicUpTo, int chunk) {
    return new OciSettings(insecureRegistries, credentials, clock, monolithicUpTo, chunk, uploadState, attempts, backoff);
  }

  public OciSettings withUploadState(Path directory) {
    return new OciSettings(insecureRegistries, credentials, clock, monolithicLimit, chunkSize, Optional.of(directory), attempts,
        backoff);
  }

  public OciSettings withRetries(int n, Duration firstBackoff) {
    return new OciSettings(insecureRegistries, credentials, clock, monolithicLimit, chunkSize, uploadState, n, firstBackoff);
  }

  boolean insecure(String registry) {
    return insecureRegistries.contains(registry);
  }
}
