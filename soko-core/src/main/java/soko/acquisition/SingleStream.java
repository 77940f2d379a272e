package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
 * One attempt to receive a file as one stream into its partial file ({@link Received}): resume
 * with {@code Range} and the kept validator, or start again when the server ignores the range,
 * the validator fails or the range is not the one asked for; then stream with checkpoints under
 * the {@link Watchdog}, and verify the sha256. Network failures are told apart from disk
 * failures, so that a disk error is never reported as a network error. Used by one thread.
 */
final class SingleStream {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final ModelFile file;
  private final String name;
  private final DownloadSettings settings;
  private final InstantSource clock;
  private final PartialFiles paths;
  private final Emitter emitter;
  private final Received got;
  private final Failures failures;
  private Optional<NetworkFailure> pending = Optional.empty();

  SingleStream(ModelFile file, DownloadSettings settings, InstantSource clock, PartialFiles paths, Emitter emitter,
      Received got, Failures failures) {
    this.file = file;
    this.name = file.path().value();
    this.settings = settings;
    this.clock = clock;
    this.paths = paths;
    this.emitter = emitter;
    this.got = got;
    this.failures = failures;
  }

  /** One attempt as one stream: request (or continue {@code opened}), decide whether to append or restart, stream, verify. */
  void run(FileJob.Source source, Optional<HttpResponse> opened) throws AcquisitionException {
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
            addressed ? Optional.empty() : StrongValidator.etag(ex),
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
  private Optional<String> rangeProblem(HttpResponse ex, boolean resume, FileJob.Source source) {
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
      Optional<String> etag = StrongValidator.etag(ex);
      boolean changed = m0.etag().isPresent()
          ? !etag.equals(m0.etag())
          : !ex.header("Last-Modified").equals(m0.lastModified());
      if (changed) {
        return Optional.of("the file changed on the server (its validator differs)");
      }
    }
    return Optional.empty();
  }

  private void stream(FileJob.Source source, HttpResponse ex, Watchdog watchdog) throws AcquisitionException, IOException {
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
          if (have - checkpointAt >= FileJob.CHECKPOINT_BYTES) {
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
          throw DownloadCancelledException.interrupted(name, got.have(), file.size(), new InterruptedException("interrupted"));
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
        throw DownloadCancelledException.interrupted(name, got.have(), file.size(), f.getCause());
      }
      throw failures.network(source, f.getCause(), trip, true, got.have(), got.resumableFrom(source));
    }
    Digest actual = got.digest();
    if (!actual.equals(file.sha256()) && got.dropUncheckpointedTail()) {
      // The tail kept past the last checkpoint was wrong (a power loss can do that): fetch it again.
      run(source, Optional.empty());
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
  private HttpResponse open(FileJob.Source source, boolean resume, Watchdog watchdog) throws AcquisitionException {
    if (Thread.currentThread().isInterrupted()) {
      throw DownloadCancelledException.interrupted(name, got.have(), file.size(), new InterruptedException("interrupted"));
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
        throw DownloadCancelledException.interrupted(name, got.have(), file.size(), e);
      }
      throw failures.network(source, e, trip, false, got.have(), got.resumableFrom(source));
    }
  }
}
