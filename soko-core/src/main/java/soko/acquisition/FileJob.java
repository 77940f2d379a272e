package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * One fetch of one file into its locked partial file: keep and re-hash the prefix that can be
 * resumed ({@link Received}), then try each source (http(s) mirror or registry blob, through its
 * {@link Transport}) with bounded retries until the bytes are complete and verified.
 */
final class FileJob {
  /** Bytes between fsync + metadata checkpoints, bounding what a crash can cost. */
  static final long CHECKPOINT_BYTES = 64L << 20;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

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
  /** Sources seen to ignore ranges or to send no strong validator: they get one connection. */
  private final Set<URI> single = new HashSet<>();
  /** Connections for ranges; halved when a server answers 429 or 503 to them. */
  private int connections;
  private long rangedTransferred;
  private int attempts;
  private Optional<NetworkFailure> pending = Optional.empty();

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
    Thread.currentThread().interrupt();
    return new DownloadCancelledException(name, got.have(), file.size(), cause);
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
          spans = Optional.of(spans.get().rebased(source.uri())); // every chunk is checked as it lands: keep them
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
          transfer(source, r.whole());
        }
        return;
      }
    }
    transfer(source, Optional.empty());
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
        List<PartialMetadata.Span> plan = RangedTransfer.plan(file, n);
        Probe probe = probe(source, plan.getFirst().to());
        if (probe.whole().isPresent()) {
          return new Ranged(false, probe.whole());
        }
        if (probe.range().isEmpty()) {
          return new Ranged(false, Optional.empty());
        }
        HttpResponse ex = probe.range().get();
        meta = new PartialMetadata(file.sha256(), file.size(), source.uri(), strongEtag(ex), ex.header("Last-Modified"),
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

  /**
   * The answer to the request for the first range: {@code range}, an open 206 of exactly those
   * bytes with a strong validator (its host slot taken); {@code whole}, an open 200 with the whole
   * file (the server ignores ranges); or neither (a 206 without a strong validator, closed).
   */
  private record Probe(Optional<HttpResponse> range, Optional<HttpResponse> whole) {}

  private Probe probe(Source source, long last) throws AcquisitionException {
    try {
      slots.acquire(source.uri());
    } catch (InterruptedException e) {
      throw cancelled(e);
    }
    Watchdog watchdog = new Watchdog(settings);
    HttpResponse ex;
    try {
      watchdog.awaitingHeaders();
      ex = source.transport().get(new Transport.Request(name, source.uri(), 0, OptionalLong.of(last), Optional.empty()));
    } catch (TransferException e) {
      slots.release(source.uri());
      watchdog.takeTrip();
      throw e;
    } catch (IOException e) {
      slots.release(source.uri());
      Optional<Watchdog.Trip> trip = watchdog.takeTrip();
      if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
        throw cancelled(e);
      }
      throw failures.network(source, e, trip, false, 0, false);
    } finally {
      watchdog.idle();
      watchdog.close();
      watchdog.takeTrip();
    }
    int status = ex.status();
    if (status == 206 && RangedTransfer.rangeProblem(ex, 0, last, file.size()).isEmpty()
        && strongValidator(ex, clock.instant())) {
      return new Probe(Optional.of(ex), Optional.empty());
    }
    slots.release(source.uri());
    if (status == 200) {
      single.add(source.uri());
      return new Probe(Optional.empty(), Optional.of(ex));
    }
    ex.close();
    if (status == 206) {
      single.add(source.uri());
      emitter.emit(new TransferEvent.Notice(name, source.uri().getHost() + " serves ranges without a strong validator"
          + " (a strong ETag, or a Last-Modified a minute before its Date), so the file comes over one connection"));
      return new Probe(Optional.empty(), Optional.empty());
    }
    throw failures.status(source, ex);
  }

  /**
   * RFC 9110 8.8: a strong ETag, or a Last-Modified at least 60 s before the response's Date (a
   * client may then use it in If-Range).
   */
  static boolean strongValidator(HttpResponse ex, Instant now) {
    if (strongEtag(ex).isPresent()) {
      return true;
    }
    if (ex.header("ETag").isPresent()) {
      return false; // a weak ETag: the date must not be used either (RFC 9110 13.1.5)
    }
    Optional<Instant> modified = ex.header("Last-Modified").flatMap(v -> RetryAfter.httpDate(v.strip(), now));
    Optional<Instant> date = ex.header("Date").flatMap(v -> RetryAfter.httpDate(v.strip(), now));
    return modified.isPresent() && date.isPresent()
        && !modified.get().plusSeconds(60).isAfter(date.get());
  }

  /** One attempt as one stream: request (or continue {@code opened}), decide whether to append or restart, stream, verify. */
  private void transfer(Source source, Optional<HttpResponse> opened) throws AcquisitionException {
    Watchdog watchdog = new Watchdog(settings);
    try {
      boolean resume = got.resumableFrom(source);
      if (got.have() > 0 && !resume) {
        got.restart();
      }
      HttpResponse ex;
      if (opened.isPresent()) {
        watchdog.awaitingHeaders();
        ex = opened.get();
      } else {
        ex = open(source, resume, watchdog);
      }
      try {
        while (true) {
          int status = ex.status();
          if (status == 206) {
            Optional<String> why = rangeProblem(ex, resume, source);
            if (why.isEmpty()) {
              break;
            }
            if (!resume) {
              throw new TransferException(name, source.uri(), TransferException.Reason.BAD_RESPONSE, OptionalInt.empty(),
                  why.get(), "the server's range support is broken; use another source", null);
            }
            // The server answered a different range or its file changed: start over, never append.
          } else if (status == 200) {
            break;
          } else if (!(resume && (status == 412 || status == 416))) {
            throw failures.status(source, ex);
          }
          ex.close();
          got.restart();
          resume = false;
          ex = open(source, false, watchdog);
        }
        if (ex.status() == 200 && got.have() > 0) {
          got.restart(); // The server ignored the Range or the validator failed: the body starts at 0.
        }
        long have = got.have();
        OptionalLong announced = ex.contentLength();
        if (announced.isPresent() && have + announced.getAsLong() != file.size()) {
          throw new ContentMismatchException(name, source.uri(), ContentMismatchException.Kind.ANNOUNCED_LENGTH,
              "announced " + (have + announced.getAsLong()) + " bytes, but the manifest says " + file.size(), null);
        }
        boolean addressed = source.transport().contentAddressed();
        got.record(new PartialMetadata(file.sha256(), file.size(), source.uri(),
            addressed ? Optional.empty() : strongEtag(ex),
            addressed ? Optional.empty() : ex.header("Last-Modified"), have));
        URI at = ex.uri();
        emitter.emit(new TransferEvent.Started(name, file.size(), have, at.getHost() + (at.getPort() > 0 ? ":" + at.getPort() : "")));
        stream(source, ex, watchdog);
      } finally {
        ex.close();
        watchdog.idle();
      }
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, paths.partial(file.sha256()), "write the partial download", e);
    } finally {
      watchdog.close();
      watchdog.takeTrip(); // a trip that raced with the end of the request must not look like a cancel later
    }
  }

  /** Why a 206 cannot be appended, or empty when it continues exactly where the partial ends. */
  private Optional<String> rangeProblem(HttpResponse ex, boolean resume, Source source) {
    Optional<String> cr = ex.header("Content-Range");
    Matcher m = cr.map(v -> CONTENT_RANGE.matcher(v.strip())).orElse(null);
    if (m == null || !m.matches()) {
      return Optional.of("answered 206 with the Content-Range \"" + cr.map(HttpBodies::printable).orElse("")
          + "\", which is not bytes a-b/total");
    }
    boolean totalKnown = !m.group(3).equals("*");
    long from;
    long to;
    long total;
    try {
      from = Long.parseLong(m.group(1));
      to = Long.parseLong(m.group(2));
      total = totalKnown ? Long.parseLong(m.group(3)) : file.size();
    } catch (NumberFormatException e) { // digits past 2^63
      return Optional.of("answered 206 with the Content-Range \"" + HttpBodies.printable(cr.orElseThrow())
          + "\", whose numbers are larger than any file");
    }
    long have = got.have();
    if (from != have || to != file.size() - 1 || total != file.size()) {
      return Optional.of("answered bytes " + from + "-" + to + "/" + m.group(3) + " for bytes=" + have + "- of a "
          + file.size() + "-byte file");
    }
    if (resume && !source.transport().contentAddressed()) {
      PartialMetadata m0 = got.meta().orElseThrow();
      Optional<String> etag = strongEtag(ex);
      boolean changed = m0.etag().isPresent()
          ? !etag.equals(m0.etag())
          : !ex.header("Last-Modified").equals(m0.lastModified());
      if (changed) {
        return Optional.of("the file changed on the server (its validator differs)");
      }
    }
    return Optional.empty();
  }

  static Optional<String> strongEtag(HttpResponse ex) {
    return ex.header("ETag").filter(e -> !e.startsWith("W/") && !e.isBlank());
  }

  private void stream(Source source, HttpResponse ex, Watchdog watchdog) throws AcquisitionException, IOException {
    long startedAt = got.have();
    long checkpointAt = got.have();
    Instant t0 = clock.instant();
    try {
      InputStream in = ex.body();
      watchdog.receivingBody();
      while (got.have() < file.size()) {
        int want = (int) Math.min(got.buffer().length, file.size() - got.have());
        int n = fill(in, want, watchdog);
        if (n > 0) {
          got.append(n);
          long have = got.have();
          long elapsed = Duration.between(t0, clock.instant()).toNanos();
          long rate = elapsed > 0 ? (long) ((have - startedAt) * 1e9 / elapsed) : 0;
          Optional<Duration> eta = rate > 0
              ? Optional.of(Duration.ofMillis((long) ((file.size() - have) * 1000.0 / rate))) : Optional.empty();
          emitter.emit(new TransferEvent.Progress(name, have, file.size(), rate, eta));
          if (have - checkpointAt >= CHECKPOINT_BYTES) {
            got.checkpoint();
            checkpointAt = have;
          }
        }
        if (pending.isPresent()) {
          NetworkFailure f = pending.get();
          pending = Optional.empty();
          throw f;
        }
        if (Thread.currentThread().isInterrupted()) {
          got.checkpoint();
          Optional<Watchdog.Trip> trip = watchdog.takeTrip();
          if (trip.isPresent()) {
            throw failures.network(source, new IOException("no data"), trip, true, got.have(), got.resumableFrom(source));
          }
          throw cancelled(new InterruptedException("interrupted"));
        }
        if (n < want) {
          got.checkpoint();
          throw new TransferException(name, source.uri(), TransferException.Reason.TRUNCATED, OptionalInt.empty(),
              "the body ended after " + got.have() + " of " + file.size() + " bytes",
              failures.kept(got.have(), got.resumableFrom(source)), null);
        }
      }
      if (network(in::read) >= 0) {
        got.restart();
        throw new ContentMismatchException(name, source.uri(), ContentMismatchException.Kind.TOO_LONG,
            "sent more than the " + file.size() + " bytes the manifest declares", null);
      }
    } catch (NetworkFailure f) {
      Optional<Watchdog.Trip> trip = watchdog.takeTrip();
      got.checkpoint();
      if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
        throw cancelled(f.getCause());
      }
      throw failures.network(source, f.getCause(), trip, true, got.have(), got.resumableFrom(source));
    }
    Digest actual = got.digest();
    if (!actual.equals(file.sha256()) && got.dropUncheckpointedTail()) {
      // The tail kept past the last checkpoint was wrong (a power loss can do that): fetch it again.
      transfer(source, Optional.empty());
      return;
    }
    got.trustAll();
    if (!actual.equals(file.sha256())) {
      got.restart();
      IntegrityException ie = new IntegrityException(name, file.sha256(), file.size(), actual, file.size(), "");
      throw new ContentMismatchException(name, source.uri(), ContentMismatchException.Kind.DIGEST,
          "sent " + file.size() + " bytes with sha256 " + actual.hex() + ", but the manifest says " + file.sha256().hex(),
          ie);
    }
    got.force();
  }

  /**
   * Reads until {@code want} bytes or the end of the body into the buffer; returns the count. A
   * failure after some bytes arrived is held in {@link #pending} so that those bytes are still
   * written and kept.
   */
  private int fill(InputStream in, int want, Watchdog watchdog) throws NetworkFailure {
    byte[] buffer = got.buffer();
    int n0 = 0;
    while (n0 < want) {
      int off = n0;
      int n;
      try {
        n = network(() -> in.read(buffer, off, want - off));
      } catch (NetworkFailure f) {
        if (n0 == 0) {
          throw f;
        }
        pending = Optional.of(f);
        break;
      }
      if (n < 0) {
        break;
      }
      watchdog.progressed(n);
      n0 += n;
    }
    return n0;
  }

  /** An I/O step on the socket, as opposed to the partial file. */
  @FunctionalInterface
  private interface NetworkStep<T> {
    T run() throws IOException;
  }

  private static <T> T network(NetworkStep<T> step) throws NetworkFailure {
    try {
      return step.run();
    } catch (IOException e) {
      throw new NetworkFailure(e);
    }
  }

  /** Marks an IOException as coming from the network, so that disk errors are never reported as network errors. */
  private static final class NetworkFailure extends Exception {
    NetworkFailure(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  /** Sends the GET through the source's transport (which follows redirects); the watchdog bounds the wait for the head. */
  private HttpResponse open(Source source, boolean resume, Watchdog watchdog) throws AcquisitionException {
    if (Thread.currentThread().isInterrupted()) {
      throw cancelled(new InterruptedException("interrupted"));
    }
    boolean validated = resume && !source.transport().contentAddressed();
    Transport.Request request = new Transport.Request(name, source.uri(), resume ? got.have() : 0, OptionalLong.empty(),
        validated ? got.meta().orElseThrow().validator() : Optional.empty());
    watchdog.awaitingHeaders();
    try {
      return source.transport().get(request);
    } catch (TransferException e) {
      watchdog.takeTrip();
      throw e;
    } catch (IOException e) {
      Optional<Watchdog.Trip> trip = watchdog.takeTrip();
      if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
        throw cancelled(e);
      }
      throw failures.network(source, e, trip, false, got.have(), got.resumableFrom(source));
    }
  }
}
