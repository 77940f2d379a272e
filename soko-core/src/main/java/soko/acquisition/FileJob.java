package soko.acquisition;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * One fetch of one file into its locked partial file: keep and re-hash the prefix that can be
 * resumed ({@link Received}), then try each source (http(s) mirror or registry blob, through its
 * {@link Transport}) with bounded retries until the bytes are complete and verified. Each attempt
 * receives the file as ranges over several connections ({@link RangeProbe}, {@link
 * RangedTransfer}) or as one stream ({@link SingleStream}).
 */
final class FileJob {
  /** Bytes between fsync + metadata checkpoints, bounding what a crash can cost. */
  static final long CHECKPOINT_BYTES = 64L << 20;

  /** A source of the file and the transport that reads it. */
  record Source(URI uri, Transport transport) {}

  private final ModelFile file;
  private final String name;
  private final DownloadSettings settings;
  private final InstantSource clock;
  private final PartialFiles paths;
  private final Emitter emitter;
  private final Received got;
  private final Failures failures;
  private final PartialFile data;
  private final HostSlots slots;
  private final SingleStream stream;
  private final RangeProbe probe;
  /** Sources seen to ignore ranges or to send no strong validator: they get one connection. */
  private final Set<URI> single = new HashSet<>();
  /** Connections for ranges; halved when a server answers 429 or 503 to them. */
  private int connections;
  private long rangedTransferred;
  private int attempts;

  FileJob(ModelFile file, DownloadSettings settings, InstantSource clock, PartialFiles paths, Emitter emitter,
      PartialFile data, HostSlots slots) {
    this.file = file;
    this.name = file.path().value();
    this.settings = settings;
    this.clock = clock;
    this.paths = paths;
    this.emitter = emitter;
    this.got = new Received(file, paths, data, settings.bufferSize());
    this.failures = new Failures(file, settings, clock);
    this.data = data;
    this.slots = slots;
    this.connections = settings.connections();
    this.stream = new SingleStream(file, settings, clock, paths, emitter, got, failures);
    this.probe = new RangeProbe(file, settings, clock, emitter, got, failures, slots);
  }

  /** Bytes received over the network by this job. */
  long transferred() {
    return got.transferred() + rangedTransferred;
  }

  /** Brings the partial file to the full, verified content, or throws. */
  void run(List<Source> sources) throws AcquisitionException {
    try (got) {
      runWithPipe(sources);
    }
  }

  private void runWithPipe(List<Source> sources) throws AcquisitionException {
    try {
      if (got.keep(sources, emitter)) {
        return;
      }
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, paths.partial(file.sha256()), "read the partial download", e);
    }
    checkSpace();
    List<AcquisitionException> tried = new ArrayList<>();
    for (Source source : sources) {
      AcquisitionException last = null;
      for (int attempt = 1; attempt <= settings.attemptsPerSource(); attempt++) {
        if (attempts > 0) {
          Duration delay = attempt == 1 ? Duration.ZERO : settings.backoff(attempt - 1);
          if (last instanceof TransferException te && te.retryAfter().isPresent()
              && te.retryAfter().get().compareTo(delay) > 0) {
            delay = te.retryAfter().get(); // the server said when; asking sooner would only be refused again
          }
          emitter.emit(new TransferEvent.Retrying(name, attempts, delay,
              last != null ? last.problem() : tried.getLast().problem()));
          pause(delay);
        }
        attempts++;
        try {
          transfer(source);
          return;
        } catch (TransferException | ContentMismatchException e) {
          if (last != null) {
            e.addSuppressed(last);
          }
          last = e;
          if (!e.isRetryWorthy() || Failures.waitsTooLong(e)) {
            break;
          }
        }
      }
      tried.add(last);
    }
    throw tried.size() == 1 ? tried.getFirst() : new SourcesExhaustedException(name, tried);
  }

  private void checkSpace() throws AcquisitionException {
    long needed = file.size() - got.kept();
    long usable;
    try {
      usable = Files.getFileStore(paths.folder()).getUsableSpace();
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, paths.folder(), "measure the free space of", e);
    }
    if (usable < needed) {
      throw new InsufficientSpaceException(name, paths.folder(), needed, usable);
    }
  }

  private void pause(Duration delay) throws DownloadCancelledException {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      throw cancelled(e);
    }
  }

  private DownloadCancelledException cancelled(Throwable cause) {
    return DownloadCancelledException.interrupted(name, got.have(), file.size(), cause);
  }

  /**
   * One attempt against one source: as ranges over several connections when the file is large and
   * the server serves ranges with a strong validator (or a ranged partial of this source is kept),
   * else as one stream.
   */
  private void transfer(Source source) throws AcquisitionException {
    if (!source.transport().contentAddressed()) {
      Optional<PartialMetadata> spans = got.spans();
      if (spans.isPresent() && !spans.get().url().equals(source.uri())) {
        if (file.chunks().isPresent()) {
          // every whole chunk was checked as it landed: keep those
          spans = Optional.of(spans.get().rebased(source.uri(), file.chunks().get().chunkSize()));
        } else {
          restart();
          spans = Optional.empty();
        }
      }
      boolean fresh = got.have() == 0 && connections > 1 && !single.contains(source.uri())
          && Math.min(connections, settings.rangesFor(file.size())) > 1;
      if (spans.isPresent() || fresh) {
        Ranged r = ranged(source, spans);
        if (!r.complete()) {
          stream.run(source, r.whole());
        }
        return;
      }
    }
    stream.run(source, Optional.empty());
  }

  private record Ranged(boolean complete, Optional<HttpResponse> whole) {}

  private void restart() throws AcquisitionException {
    try {
      got.restart();
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, paths.partial(file.sha256()), "write the partial download", e);
    }
  }

  /**
   * Receives the file as ranges: {@code complete} when the file is complete and verified;
   * otherwise the file is to be received as one stream, from {@code whole} (an open 200 answer
   * with the whole body) or, when that is empty, from a new request.
   */
  private Ranged ranged(Source source, Optional<PartialMetadata> kept)
      throws AcquisitionException {
    Optional<PartialMetadata> spans = kept;
    for (int round = 0; ; round++) {
      Optional<HttpResponse> first = Optional.empty();
      PartialMetadata meta;
      if (spans.isPresent()) {
        meta = spans.get();
      } else {
        int n = Math.min(connections, settings.rangesFor(file.size()));
        if (n < 2) {
          return new Ranged(false, Optional.empty());
        }
        List<PartialMetadata.Span> plan = RangePlan.queue(file, settings.minRangeBytes());
        RangeProbe.Answer probe = this.probe.ask(source, plan.getFirst().to());
        if (probe.range().isEmpty()) {
          single.add(source.uri());
        }
        if (probe.whole().isPresent()) {
          return new Ranged(false, probe.whole());
        }
        if (probe.range().isEmpty()) {
          return new Ranged(false, Optional.empty());
        }
        HttpResponse ex = probe.range().get();
        meta = new PartialMetadata(file.sha256(), file.size(), source.uri(), StrongValidator.etag(ex), ex.header("Last-Modified"),
            plan);
        try {
          got.recordSpans(meta);
        } catch (IOException e) {
          ex.close();
          slots.release(source.uri());
          throw DownloadsFolderException.io(name, paths.metadata(file.sha256()), "write the partial download record", e);
        }
        first = Optional.of(ex);
      }
      RangedTransfer t = new RangedTransfer(file, source, settings, clock, paths, data, emitter, failures, slots, meta);
      try {
        Digest actual;
        try {
          actual = t.run(connections, first);
        } finally {
          rangedTransferred += t.transferred();
          got.spansProgressed(t.meta());
        }
        if (!actual.equals(file.sha256())) {
          if (t.dropUnsyncedTails()) {
            spans = Optional.of(t.meta()); // bytes a power loss may have spoilt are fetched again
            continue;
          }
          restart();
          IntegrityException ie = new IntegrityException(name, file.sha256(), file.size(), actual, file.size(), "");
          throw new ContentMismatchException(name, source.uri(), ContentMismatchException.Kind.DIGEST,
              "sent " + file.size() + " bytes with sha256 " + actual.hex() + ", but the manifest says "
                  + file.sha256().hex(), ie);
        }
        got.completeRanged();
        return new Ranged(true, Optional.empty());
      } catch (RangedTransfer.Changed c) {
        restart();
        spans = Optional.empty();
        if (round > 0) {
          single.add(source.uri());
          emitter.emit(new TransferEvent.Notice(name, c.getMessage() + "; receiving it again over one connection"));
          return new Ranged(false, Optional.empty());
        }
        emitter.emit(new TransferEvent.Notice(name, c.getMessage() + "; starting the file again"));
      } catch (TransferException e) {
        if (e.status().isPresent() && (e.status().getAsInt() == 429 || e.status().getAsInt() == 503)) {
          connections = Math.max(1, connections / 2); // the host may limit connections: ask with fewer next time
        }
        throw e;
      } catch (IOException e) {
        throw DownloadsFolderException.io(name, paths.partial(file.sha256()), "write the partial download", e);
      }
    }
  }
}
