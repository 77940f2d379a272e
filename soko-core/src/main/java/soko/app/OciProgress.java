package soko.app;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import soko.acquisition.oci.TransferListener;
import soko.events.ProgressListener;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.verification.Digest;

/**
 * The progress of a push: translates the OCI client's per-blob {@link TransferListener} calls into
 * the {@link TransferEvent}s every Soko progress display understands, naming each blob by its
 * file's path in the model. A blob's events end as soon as it is uploaded or skipped. Blobs that
 * are not model files (the config) report nothing. Never lets a listener exception escape.
 * (Pulls report through the downloader, like every download.)
 */
final class OciProgress implements TransferListener {
  private final ProgressListener listener;
  private final Map<Digest, ModelFile> files;
  private final String host;
  private final InstantSource clock;
  private final Map<Digest, BlobState> states = new ConcurrentHashMap<>();

  /** What one blob has done so far. */
  private static final class BlobState {
    Instant startedAt = Instant.EPOCH;
    long startOffset;
    long lastDone;
    long transferred;
    boolean skipped;
  }

  OciProgress(ProgressListener listener, Map<Digest, ModelFile> files, String host, InstantSource clock) {
    this.listener = listener;
    this.files = Map.copyOf(files);
    this.host = host;
    this.clock = clock;
  }

  private Optional<String> name(Digest d) {
    return Optional.ofNullable(files.get(d)).map(f -> f.path().value());
  }

  private BlobState state(Digest d) {
    return states.computeIfAbsent(d, k -> new BlobState());
  }

  private void emit(TransferEvent e) {
    try {
      listener.on(e);
    } catch (RuntimeException ignored) {
      // A broken listener only loses its events; see ProgressListener.
    }
  }

  /** Bytes moved so far, over all blobs. */
  long transferred() {
    return states.values().stream().mapToLong(s -> s.transferred).sum();
  }

  /** The blobs the registry already had or mounted. */
  Set<Digest> skippedDigests() {
    Set<Digest> out = new HashSet<>();
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
    s.startedAt = clock.instant();
    s.startOffset = offset;
    s.lastDone = offset;
    name(blob).ifPresent(f -> emit(new TransferEvent.Started(f, size, offset, host)));
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
    if (done == size) {
      emit(new TransferEvent.Done(n.get(), blob.toString(), size, s.transferred));
    }
  }

  @Override
  public void skipped(Digest blob, String reason) {
    state(blob).skipped = true;
    Optional.ofNullable(files.get(blob))
        .ifPresent(f -> emit(new TransferEvent.Done(f.path().value(), blob.toString(), f.size(), 0)));
  }
}
