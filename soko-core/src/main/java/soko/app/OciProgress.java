package soko.app;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import soko.acquisition.oci.TransferListener;
import soko.events.ProgressListener;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.verification.Digest;

/**
 * Translates the OCI client's per-blob {@link TransferListener} calls into the {@link TransferEvent}s
 * every Soko progress display understands, naming each blob by its file's path in the model. A
 * second {@code started} after bytes flowed, with no {@code restarted} between, is the client
 * retrying after a broken connection, and becomes {@link TransferEvent.Retrying}. Blobs that are
 * not model files (the config) report nothing. Never lets a listener exception escape.
 */
final class OciProgress implements TransferListener {
  private final ProgressListener listener;
  private final Map<Digest, ModelFile> files;
  private final String host;
  private final InstantSource clock;
  private final Duration firstBackoff;
  private final boolean push;
  private final Map<Digest, BlobState> states = new ConcurrentHashMap<>();

  /** What one blob has done so far. */
  private static final class BlobState {
    Instant startedAt = Instant.EPOCH;
    long startOffset;
    long lastDone;
    long transferred;
    int attempt = 1;
    boolean flowing;
    boolean restarted;
    boolean skipped;
  }

  /**
   * @param push when true, a blob's events end as soon as it is uploaded or skipped; when false
   *     (pull), the caller ends them with {@link #done} once the blob is published
   */
  OciProgress(ProgressListener listener, Map<Digest, ModelFile> files, String host, InstantSource clock, Duration firstBackoff,
      boolean push) {
    this.listener = listener;
    this.push = push;
    this.files = Map.copyOf(files);
    this.host = host;
    this.clock = clock;
    this.firstBackoff = firstBackoff;
  }

  private Optional<String> name(Digest d) {
    return Optional.ofNullable(files.get(d)).map(f -> f.path().value());
  }

  private BlobState state(Digest d) {
    return states.computeIfAbsent(d, k -> new BlobState());
  }

  void emit(TransferEvent e) {
    try {
      listener.on(e);
    } catch (RuntimeException ignored) {
      // A broken listener only loses its events; see ProgressListener.
    }
  }

  /** Before a fetch that will re-hash {@code bytes} kept from an earlier run. */
  void verifying(Digest d, long bytes) {
    name(d).ifPresent(n -> emit(new TransferEvent.Verifying(n, bytes)));
  }

  /** The blob is complete and verified (or already present): ends its events. */
  void done(Digest d, long size) {
    BlobState s = state(d);
    name(d).ifPresent(n -> emit(new TransferEvent.Done(n, d.toString(), size, s.transferred)));
  }

  /** The blob failed: ends its events. */
  void notice(Digest d, String message) {
    name(d).ifPresent(n -> emit(new TransferEvent.Notice(n, message)));
  }

  void failed(Digest d, String reason) {
    name(d).ifPresent(n -> emit(new TransferEvent.Failed(n, reason)));
  }

  /** Bytes moved so far, over all blobs. */
  long transferred() {
    return states.values().stream().mapToLong(s -> s.transferred).sum();
  }

  /** The blobs the registry already had or mounted (push only). */
  java.util.Set<Digest> skippedDigests() {
    java.util.Set<Digest> out = new java.util.HashSet<>();
    states.forEach((d, s) -> {
      if (s.skipped) {
        out.add(d);
      }
    });
    return out;
  }

  @Override
  public void started(Digest blob, long offset, long size) {
    BlobState s = state(blob);
    Optional<String> n = name(blob);
    if (s.flowing && !s.restarted && n.isPresent()) {
      emit(new TransferEvent.Retrying(n.get(), s.attempt, firstBackoff.multipliedBy(1L << Math.min(s.attempt - 1, 20)),
          "the transfer broke off after " + s.lastDone + " bytes; resuming"));
      s.attempt++;
    }
    s.flowing = true;
    s.restarted = false;
    s.startedAt = clock.instant();
    s.startOffset = offset;
    s.lastDone = offset;
    n.ifPresent(f -> emit(new TransferEvent.Started(f, size, offset, host)));
  }

  @Override
  public void progressed(Digest blob, long done, long size) {
    BlobState s = state(blob);
    if (done > s.lastDone) {
      s.transferred += done - s.lastDone;
    }
    s.lastDone = done;
    Optional<String> n = name(blob);
    if (n.isEmpty()) {
      return;
    }
    long millis = Duration.between(s.startedAt, clock.instant()).toMillis();
    long rate = millis <= 0 ? 0 : (done - s.startOffset) * 1000 / millis;
    Optional<Duration> eta = rate <= 0 ? Optional.empty() : Optional.of(Duration.ofSeconds((size - done) / rate));
    emit(new TransferEvent.Progress(n.get(), done, size, Math.max(0, rate), eta));
    if (push && done == size) {
      done(blob, size);
    }
  }

  @Override
  public void restarted(Digest blob, String reason) {
    state(blob).restarted = true;
  }

  @Override
  public void skipped(Digest blob, String reason) {
    state(blob).skipped = true;
    if (push) {
      Optional.ofNullable(files.get(blob)).ifPresent(f -> emit(new TransferEvent.Done(f.path().value(), blob.toString(), f.size(), 0)));
    }
  }
}
