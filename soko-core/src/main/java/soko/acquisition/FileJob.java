package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/**
 * One fetch of one file into its locked partial file: trust and re-hash the kept prefix, then try
 * each http(s) source with bounded retries until the bytes are complete and verified.
 *
 * <p>Invariant: {@code pipe.digest()} holds the sha256 of exactly the first {@code have} bytes of
 * the partial file, and the partial file is {@code have} bytes long. The hashing runs on the pipe's
 * thread while the next buffer is received (see {@link HashPipe}).
 */
final class FileJob {
  /** Bytes between fsync + metadata checkpoints, bounding what a crash can cost. */
  static final long CHECKPOINT_BYTES = 64L << 20;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final ModelFile file;
  private final String name;
  private final DownloadSettings settings;
  private final InstantSource clock;
  private final PartialFiles paths;
  private final Emitter emitter;
  /**
   * The partial file: opened without following links, and never closed by an interrupt (the way
   * fetches are cancelled); see {@link PartialFile}.
   */
  private final PartialFile data;
  private byte[] buffer;
  private final HashPipe pipe;
  private long have;
  private Optional<PartialMetadata> meta = Optional.empty();
  /** Where the bytes kept past the last checkpoint start, or -1 when every kept byte was checkpointed. */
  private long uncheckpointedFrom = -1;
  private long transferred;
  private int attempts;
  private Optional<NetworkFailure> pending = Optional.empty();

  FileJob(ModelFile file, DownloadSettings settings, InstantSource clock, PartialFiles paths, Emitter emitter,
      PartialFile data) {
    this.file = file;
    this.name = file.path().value();
    this.settings = settings;
    this.clock = clock;
    this.paths = paths;
    this.emitter = emitter;
    this.data = data;
    this.buffer = new byte[settings.bufferSize()];
    this.pipe = new HashPipe(settings.bufferSize(), name);
  }

  /** Bytes received over the network by this job. */
  long transferred() {
    return transferred;
  }

  /** Brings the partial file to the full, verified content, or throws. */
  void run(List<URI> sources) throws AcquisitionException {
    try {
      runWithPipe(sources);
    } finally {
      pipe.close();
    }
  }

  private void runWithPipe(List<URI> sources) throws AcquisitionException {
    if (keepTrustedPrefix()) {
      return;
    }
    checkSpace();
    List<AcquisitionException> failures = new ArrayList<>();
    for (URI url : sources) {
      AcquisitionException last = null;
      for (int attempt = 1; attempt <= settings.attemptsPerSource(); attempt++) {
        if (attempts > 0) {
          Duration delay = attempt == 1 ? Duration.ZERO : settings.backoff(attempt - 1);
          if (last instanceof TransferException te && te.retryAfter().isPresent()
              && te.retryAfter().get().compareTo(delay) > 0) {
            delay = te.retryAfter().get(); // the server said when; asking sooner would only be refused again
          }
          emitter.emit(new TransferEvent.Retrying(name, attempts, delay,
              last != null ? last.problem() : failures.getLast().problem()));
          pause(delay);
        }
        attempts++;
        try {
          transfer(url);
          return;
        } catch (TransferException | ContentMismatchException e) {
          if (last != null) {
            e.addSuppressed(last);
          }
          last = e;
          if (!e.isRetryWorthy() || waitsTooLong(e)) {
            break;
          }
        }
      }
      failures.add(last);
    }
    throw failures.size() == 1 ? failures.getFirst() : new SourcesExhaustedException(name, failures);
  }

  /**
   * Keeps the part of the partial file that can be resumed and re-hashes it. Returns true when the
   * file already holds every byte and they match the manifest.
   */
  private boolean keepTrustedPrefix() throws AcquisitionException {
    try {
      long length = data.size();
      meta = PartialMetadata.read(paths.metadata(file.sha256())).filter(m -> m.describes(file));
      long keep;
      if (length == file.size()) {
        keep = length; // Complete by length: the sha256 decides, no request needed (a Range would get 416).
      } else if (meta.isPresent() && meta.get().validator().isPresent() && length < file.size()) {
        // Keep every byte on disk, not only the checkpointed ones: after a killed process (kill -9,
        // crash) the page cache still holds them, so a resume loses nothing. Only a power loss can
        // leave a wrong tail; the final sha256 catches it and the tail past the checkpoint is fetched again.
        keep = length;
        uncheckpointedFrom = meta.get().bytes() < length ? meta.get().bytes() : -1;
      } else {
        keep = 0;
      }
      if (keep < length) {
        data.truncate(keep);
      }
      if (keep == 0) {
        restartFromZero();
      }
      if (keep > 0 || file.size() == 0) {
        emitter.emit(new TransferEvent.Verifying(name, keep));
        hashPrefix(keep);
      }
      have = keep;
      if (have == file.size()) {
        if (Digest.of(pipe.digest().digest()).equals(file.sha256())) {
          return true;
        }
        restartFromZero();
      }
      return false;
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, paths.partial(file.sha256()), "read the partial download", e);
    }
  }

  private void hashPrefix(long length) throws IOException {
    MessageDigest md = pipe.digest();
    md.reset();
    long pos = 0;
    while (pos < length) {
      int n = data.read(buffer, (int) Math.min(buffer.length, length - pos), pos);
      if (n < 0) {
        throw new IOException("the partial download ended at " + pos + " bytes, before " + length);
      }
      for (int off = 0; off < n; off += Hashing.BUFFER_SIZE) {
        md.update(buffer, off, Math.min(Hashing.BUFFER_SIZE, n - off));
      }
      pos += n;
    }
  }

  private void restartFromZero() throws IOException {
    data.truncate(0);
    pipe.digest().reset();
    have = 0;
    meta = Optional.empty();
    Files.deleteIfExists(paths.metadata(file.sha256()));
  }

  private void checkSpace() throws AcquisitionException {
    long needed = file.size() - have;
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
    return new DownloadCancelledException(name, have, file.size(), cause);
  }

  /** One attempt against one source: request, decide whether to append or restart, stream, verify. */
  private void transfer(URI url) throws AcquisitionException {
    Watchdog watchdog = new Watchdog(settings.connectTimeout(), settings.readTimeout(), settings.stallTimeout());
    try {
      boolean resume = have > 0 && meta.map(m -> m.url().equals(url) && m.validator().isPresent()).orElse(false);
      if (have > 0 && !resume) {
        restartFromZero();
      }
      Exchange ex = open(url, resume, watchdog);
      try {
        while (true) {
          int status = ex.status();
          if (status == 206) {
            Optional<String> why = rangeProblem(ex, resume);
            if (why.isEmpty()) {
              break;
            }
            if (!resume) {
              throw new TransferException(name, url, TransferException.Reason.BAD_RESPONSE, OptionalInt.empty(),
                  why.get(), "the server's range support is broken; use another source", null);
            }
            // The server answered a different range or its file changed: start over, never append.
          } else if (status == 200) {
            break;
          } else if (!(resume && (status == 412 || status == 416))) {
            throw statusFailure(url, ex);
          }
          ex.close();
          restartFromZero();
          resume = false;
          ex = open(url, false, watchdog);
        }
        if (ex.status() == 200 && have > 0) {
          restartFromZero(); // The server ignored the Range or the validator failed: the body starts at 0.
        }
        long announced = ex.connection().getContentLengthLong();
        if (announced >= 0 && have + announced != file.size()) {
          throw new ContentMismatchException(name, url, ContentMismatchException.Kind.ANNOUNCED_LENGTH,
              "announced " + (have + announced) + " bytes, but the manifest says " + file.size(), null);
        }
        meta = Optional.of(new PartialMetadata(file.sha256(), file.size(), url, strongEtag(ex),
            Optional.ofNullable(ex.connection().getHeaderField("Last-Modified")), have));
        meta.get().write(paths.metadata(file.sha256()), paths.metadataTemp(file.sha256()));
        emitter.emit(new TransferEvent.Started(name, file.size(), have, ex.uri().getHost()
            + (ex.uri().getPort() > 0 ? ":" + ex.uri().getPort() : "")));
        stream(url, ex, watchdog);
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
  private Optional<String> rangeProblem(Exchange ex, boolean resume) {
    String cr = ex.connection().getHeaderField("Content-Range");
    Matcher m = cr == null ? null : CONTENT_RANGE.matcher(cr.strip());
    if (m == null || !m.matches()) {
      return Optional.of("answered 206 with the Content-Range \"" + cr + "\", which is not bytes a-b/total");
    }
    long from = Long.parseLong(m.group(1));
    long to = Long.parseLong(m.group(2));
    long total = Long.parseLong(m.group(3));
    if (from != have || to != file.size() - 1 || total != file.size()) {
      return Optional.of("answered bytes " + from + "-" + to + "/" + total + " for bytes=" + have + "- of a "
          + file.size() + "-byte file");
    }
    if (resume) {
      PartialMetadata m0 = meta.orElseThrow();
      Optional<String> etag = strongEtag(ex);
      boolean changed = m0.etag().isPresent()
          ? !etag.equals(m0.etag())
          : !Optional.ofNullable(ex.connection().getHeaderField("Last-Modified")).equals(m0.lastModified());
      if (changed) {
        return Optional.of("the file changed on the server (its validator differs)");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> strongEtag(Exchange ex) {
    String e = ex.connection().getHeaderField("ETag");
    return e == null || e.startsWith("W/") || e.isBlank() ? Optional.empty() : Optional.of(e.strip());
  }

  private void stream(URI url, Exchange ex, Watchdog watchdog) throws AcquisitionException, IOException {
    long startedAt = have;
    long checkpointAt = have;
    Instant t0 = clock.instant();
    try {
      InputStream in = network(() -> ex.connection().getInputStream());
      watchdog.receivingBody();
      while (have < file.size()) {
        int want = (int) Math.min(buffer.length, file.size() - have);
        int n = fill(in, want, watchdog);
        if (n > 0) {
          write(n);
          long elapsed = Duration.between(t0, clock.instant()).toNanos();
          long rate = elapsed > 0 ? (long) ((have - startedAt) * 1e9 / elapsed) : 0;
          Optional<Duration> eta = rate > 0
              ? Optional.of(Duration.ofMillis((long) ((file.size() - have) * 1000.0 / rate))) : Optional.empty();
          emitter.emit(new TransferEvent.Progress(name, have, file.size(), rate, eta));
          if (have - checkpointAt >= CHECKPOINT_BYTES) {
            checkpoint();
            checkpointAt = have;
          }
        }
        if (pending.isPresent()) {
          NetworkFailure f = pending.get();
          pending = Optional.empty();
          throw f;
        }
        if (Thread.currentThread().isInterrupted()) {
          checkpoint();
          Optional<Watchdog.Trip> trip = watchdog.takeTrip();
          if (trip.isPresent()) {
            throw networkFailure(url, new IOException("no data"), trip, true);
          }
          throw cancelled(new InterruptedException("interrupted"));
        }
        if (n < want) {
          checkpoint();
          throw new TransferException(name, url, TransferException.Reason.TRUNCATED, OptionalInt.empty(),
              "the body ended after " + have + " of " + file.size() + " bytes", "it resumes on the next attempt",
              null);
        }
      }
      if (network(in::read) >= 0) {
        restartFromZero();
        throw new ContentMismatchException(name, url, ContentMismatchException.Kind.TOO_LONG,
            "sent more than the " + file.size() + " bytes the manifest declares", null);
      }
    } catch (NetworkFailure f) {
      Optional<Watchdog.Trip> trip = watchdog.takeTrip();
      checkpoint();
      if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
        throw cancelled(f.getCause());
      }
      throw networkFailure(url, f.getCause(), trip, true);
    }
    Digest actual = Digest.of(pipe.digest().digest());
    if (!actual.equals(file.sha256()) && uncheckpointedFrom >= 0) {
      // The tail kept past the last checkpoint was wrong (a power loss can do that): drop it and fetch it again.
      long floor = uncheckpointedFrom;
      uncheckpointedFrom = -1;
      data.truncate(floor);
      hashPrefix(floor);
      have = floor;
      meta = meta.map(m -> m.withBytes(floor));
      transfer(url);
      return;
    }
    uncheckpointedFrom = -1;
    if (!actual.equals(file.sha256())) {
      restartFromZero();
      IntegrityException ie = new IntegrityException(name, file.sha256(), file.size(), actual, file.size(), "");
      throw new ContentMismatchException(name, url, ContentMismatchException.Kind.DIGEST,
          "sent " + file.size() + " bytes with sha256 " + actual.hex() + ", but the manifest says " + file.sha256().hex(),
          ie);
    }
    data.force();
  }

  /**
   * Reads until {@code want} bytes or the end of the body; returns the count. A failure after some
   * bytes arrived is held in {@link #pending} so that those bytes are still written and kept.
   */
  private int fill(InputStream in, int want, Watchdog watchdog) throws NetworkFailure {
    int got = 0;
    while (got < want) {
      int off = got;
      int n;
      try {
        n = network(() -> in.read(buffer, off, want - off));
      } catch (NetworkFailure f) {
        if (got == 0) {
          throw f;
        }
        pending = Optional.of(f);
        break;
      }
      if (n < 0) {
        break;
      }
      watchdog.progressed();
      got += n;
    }
    return got;
  }

  private void write(int n) throws IOException {
    data.write(buffer, n, have);
    buffer = pipe.handOff(buffer, n);
    have += n;
    transferred += n;
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

  /**
   * Makes the bytes so far durable and records them, so a crash keeps them. Runs with the interrupt
   * status cleared (and restored), so that a cancelled fetch still saves its progress.
   */
  private void checkpoint() throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      data.force();
      if (meta.isPresent()) {
        meta = Optional.of(meta.get().withBytes(have));
        meta.get().write(paths.metadata(file.sha256()), paths.metadataTemp(file.sha256()));
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sends a GET, following up to {@link Downloader#MAX_REDIRECTS} redirects by hand. */
  private Exchange open(URI source, boolean resume, Watchdog watchdog) throws AcquisitionException {
    URI current = source;
    for (int hop = 0; ; hop++) {
      if (Thread.currentThread().isInterrupted()) {
        throw cancelled(new InterruptedException("interrupted"));
      }
      HttpURLConnection c;
      try {
        c = (HttpURLConnection) current.toURL().openConnection();
      } catch (IOException | IllegalArgumentException e) {
        throw new TransferException(name, source, TransferException.Reason.CONNECT_FAILED, OptionalInt.empty(),
            "cannot open " + current + ": " + e.getMessage(), "check the URL", e);
      }
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setConnectTimeout(millis(settings.connectTimeout()));
      // A backstop for platform threads only: the watchdog enforces the read and stall timeouts.
      c.setReadTimeout(millis(settings.readTimeout().plus(settings.stallTimeout())));
      c.setRequestProperty("User-Agent", settings.userAgent());
      c.setRequestProperty("Accept-Encoding", "identity");
      if (resume) {
        c.setRequestProperty("Range", "bytes=" + have + "-");
        c.setRequestProperty("If-Range", meta.orElseThrow().validator().orElseThrow());
      }
      watchdog.awaitingHeaders();
      int status;
      try {
        c.connect();
      } catch (IOException e) {
        c.disconnect();
        Optional<Watchdog.Trip> trip = watchdog.takeTrip();
        if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
          throw cancelled(e);
        }
        if (trip.isPresent()) {
          throw networkFailure(source, e, trip, false);
        }
        throw new TransferException(name, source, TransferException.Reason.CONNECT_FAILED, OptionalInt.empty(),
            "cannot connect to " + current.getHost() + (current.getPort() > 0 ? ":" + current.getPort() : "") + ": "
                + e.getMessage(), "check the network connection", e);
      }
      try {
        status = c.getResponseCode();
      } catch (IOException e) {
        c.disconnect();
        Optional<Watchdog.Trip> trip = watchdog.takeTrip();
        if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
          throw cancelled(e);
        }
        throw networkFailure(source, e, trip, false);
      }
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        String location = c.getHeaderField("Location");
        c.disconnect();
        watchdog.idle();
        if (location == null) {
          throw new TransferException(name, source, TransferException.Reason.BAD_RESPONSE, OptionalInt.of(status),
              "answered " + status + " without a Location", "use another source", null);
        }
        if (hop + 1 > Downloader.MAX_REDIRECTS) {
          throw new TransferException(name, source, TransferException.Reason.TOO_MANY_REDIRECTS, OptionalInt.of(status),
              "more than " + Downloader.MAX_REDIRECTS + " redirects (last to " + location + ")",
              "the server's redirects loop; use another source", null);
        }
        Redirects.Result next = Redirects.next(source, current, location);
        if (next.next().isEmpty()) {
          throw new TransferException(name, source, TransferException.Reason.INSECURE_REDIRECT, OptionalInt.of(status),
              next.refusal(), "Soko refuses it; use an https source that stays on https", null);
        }
        current = next.next().get();
        continue;
      }
      return new Exchange(c, status, current);
    }
  }

  private TransferException statusFailure(URI url, Exchange ex) {
    int status = ex.status();
    Instant now = clock.instant();
    Optional<Duration> retryAfter = status == 429 || status == 503
        ? retryAfter(ex.connection().getHeaderField("Retry-After"), now) : Optional.empty();
    String fix = switch (status) {
      case 404, 410 -> "the file is not at this URL; fix the manifest or use another source";
      case 401, 403 -> "the server refuses access; Soko sends no credentials, so use a public source";
      case 408, 429 -> "the server is busy; try again later";
      default -> status >= 500 ? "the server has a problem; try again later" : "use another source";
    };
    String msg = ex.connection().getHeaderField(0);
    String problem = "the server answered "
        + (msg != null ? msg.replaceFirst("^HTTP/\\S+\\s+", "") : Integer.toString(status));
    if (retryAfter.isPresent()) {
      long seconds = (retryAfter.get().toMillis() + 999) / 1000; // rounded up: never less than asked
      problem += " and asks to wait " + seconds + " s";
      if (retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0) {
        fix = "try again after " + now.plus(retryAfter.get()).truncatedTo(ChronoUnit.SECONDS)
            + " (Soko waits at most " + MAX_RETRY_AFTER.toSeconds() + " s by itself), or add another source";
      }
    }
    return new TransferException(name, url, TransferException.Reason.HTTP_STATUS, OptionalInt.of(status), retryAfter,
        problem, fix, null);
  }

  /**
   * The longest Retry-After Soko waits for before asking the same source again; a server that
   * asks for longer is left for now (the next source is tried, or the error says when to retry).
   */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private static boolean waitsTooLong(AcquisitionException e) {
    return e instanceof TransferException te && te.retryAfter().isPresent()
        && te.retryAfter().get().compareTo(MAX_RETRY_AFTER) > 0;
  }

  /**
   * A Retry-After header (RFC 9110, 10.2.3): delay-seconds or an HTTP-date in any of its three
   * forms (RFC 9110, 5.6.7), as a wait from {@code now} (zero for a date in the past); empty when
   * absent or malformed. Seconds too many to count are capped at 31 years: still "later".
   */
  static Optional<Duration> retryAfter(@Nullable String header, Instant now) {
    if (header == null) {
      return Optional.empty();
    }
    String v = header.strip();
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.of(Duration.ofSeconds(v.length() > 9 ? 999_999_999L : Long.parseLong(v)));
    }
    Optional<Instant> at = httpDate(v, now);
    return at.map(t -> {
      Duration d = Duration.between(now, t);
      return d.isNegative() ? Duration.ZERO : d;
    });
  }

  // After the day name, which is redundant (and which a two-digit year could contradict).
  private static final DateTimeFormatter RFC_850 =
      DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.ENGLISH);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);

  /** IMF-fixdate, or the obsolete RFC 850 and asctime forms a recipient must also accept. */
  private static Optional<Instant> httpDate(String v, Instant now) {
    try {
      return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant());
    } catch (DateTimeParseException e) {
      // try the obsolete forms
    }
    int comma = v.indexOf(", ");
    try {
      if (comma < 0) {
        throw new DateTimeParseException("no day name", v, 0);
      }
      LocalDateTime t = LocalDateTime.parse(v.substring(comma + 2), RFC_850);
      // A two-digit year more than 50 years ahead means the most recent past year ending so.
      if (t.toInstant(ZoneOffset.UTC).isAfter(now.plus(Duration.ofDays(50L * 365)))) {
        t = t.minusYears(100);
      }
      return Optional.of(t.toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      // try asctime
    }
    try {
      if (v.length() < 4 || v.charAt(3) != ' ') {
        return Optional.empty();
      }
      return Optional.of(LocalDateTime.parse(v.substring(4), ASCTIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private TransferException networkFailure(URI url, IOException e, Optional<Watchdog.Trip> trip, boolean inBody) {
    if (trip.equals(Optional.of(Watchdog.Trip.STALLED))) {
      return new TransferException(name, url, TransferException.Reason.STALLED, OptionalInt.empty(),
          "no data for " + seconds(settings.stallTimeout()) + " after " + have + " of " + file.size() + " bytes",
          "it resumes on the next attempt", e);
    }
    if (trip.equals(Optional.of(Watchdog.Trip.TIMED_OUT)) || (!inBody && e instanceof SocketTimeoutException)) {
      return new TransferException(name, url, TransferException.Reason.TIMED_OUT, OptionalInt.empty(),
          "no answer within " + seconds(settings.readTimeout()), "check the network connection", e);
    }
    if (e instanceof UnknownHostException || e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return new TransferException(name, url, TransferException.Reason.CONNECT_FAILED, OptionalInt.empty(),
          "cannot connect: " + e.getMessage(), "check the network connection", e);
    }
    return new TransferException(name, url, TransferException.Reason.CONNECTION_LOST, OptionalInt.empty(),
        "the connection broke after " + have + " of " + file.size() + " bytes (" + e.getClass().getSimpleName()
            + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")",
        inBody ? "it resumes on the next attempt" : "check the network connection", e);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }

  /** A response whose body has not been read yet. Closing it drops the connection, never reusing it. */
  record Exchange(HttpURLConnection connection, int status, URI uri) implements AutoCloseable {
    @Override
    public void close() {
      connection.disconnect();
    }
  }
}
