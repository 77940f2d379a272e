package soko.acquisition;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import soko.manifest.ModelFile;

/**
 * What a failed attempt of a {@link FileJob} tells the user: the one-line problem (what was seen,
 * with the numbers) and the fix (what is true afterwards and what to do). A message never promises
 * what will not happen: bytes are said to be kept only when they are, and resuming only when a
 * validator (or a registry digest) allows it.
 */
final class Failures {
  private final ModelFile file;
  private final String name;
  private final DownloadSettings settings;
  private final InstantSource clock;

  Failures(ModelFile file, DownloadSettings settings, InstantSource clock) {
    this.file = file;
    this.name = file.path().value();
    this.settings = settings;
    this.clock = clock;
  }

  /** A final answer that is not 200 or 206 (or a 412/416 to a resume). */
  TransferException status(FileJob.Source source, HttpResponse ex) {
    int status = ex.status();
    Instant now = clock.instant();
    Optional<Duration> retryAfter = status == 429 || status == 503
        ? RetryAfter.parse(ex.header("Retry-After").orElse(null), now) : Optional.empty();
    String fix = source.transport().advice(status).orElse(switch (status) {
      case 404, 410 -> "the file is not at this URL; fix the manifest or use another source";
      case 401, 403 -> "the server refuses access; Soko sends no credentials, so use a public source";
      case 408, 429 -> "the server is busy; try again later";
      default -> status >= 500 ? "the server has a problem; try again later" : "use another source";
    });
    String problem = "the server answered " + HttpBodies.printable(ex.statusText());
    if (retryAfter.isPresent()) {
      long seconds = (retryAfter.get().toMillis() + 999) / 1000; // rounded up: never less than asked
      problem += " and asks to wait " + seconds + " s";
      if (retryAfter.get().compareTo(RetryAfter.MAX_WAIT) > 0) {
        fix = "try again after " + now.plus(retryAfter.get()).truncatedTo(ChronoUnit.SECONDS)
            + " (Soko waits at most " + RetryAfter.MAX_WAIT.toSeconds() + " s by itself), or add another source";
      }
    }
    return new TransferException(name, source.uri(), TransferException.Reason.HTTP_STATUS, OptionalInt.of(status),
        retryAfter, problem, fix, null);
  }

  /** True when the server asked to wait longer than Soko waits by itself: the source is left for now. */
  static boolean waitsTooLong(AcquisitionException e) {
    return e instanceof TransferException te && te.retryAfter().isPresent()
        && te.retryAfter().get().compareTo(RetryAfter.MAX_WAIT) > 0;
  }

  /**
   * A network failure (or a trip of the watchdog) while waiting for the response head ({@code
   * inBody} false) or reading the body.
   *
   * @param have the bytes of the file on disk now
   * @param resumable whether a next attempt at this source continues from them
   */
  TransferException network(FileJob.Source source, IOException e, Optional<Watchdog.Trip> trip, boolean inBody, long have,
      boolean resumable) {
    String at = " after " + have + " of " + file.size() + " bytes";
    if (trip.isPresent()) {
      return switch (trip.get()) {
        case Watchdog.Trip.Stalled s -> new TransferException(name, source.uri(), TransferException.Reason.STALLED,
            OptionalInt.empty(), "no data for " + seconds(s.limit()) + at, kept(have, resumable), e);
        case Watchdog.Trip.TooSlow s -> new TransferException(name, source.uri(), TransferException.Reason.TOO_SLOW,
            OptionalInt.empty(), "the server sent " + s.bytes() + " bytes in " + seconds(s.window()) + at
                + ", less than the minimum of " + settings.minBytesPerSecond() + " bytes/s", kept(have, resumable), e);
        case Watchdog.Trip.HeadersLate h -> new TransferException(name, source.uri(), TransferException.Reason.TIMED_OUT,
            OptionalInt.empty(), "the status line and headers were not complete within " + seconds(h.limit())
                + " of the request",
            "check the network connection", e);
      };
    }
    if (!inBody && e instanceof SocketTimeoutException) {
      boolean connecting = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
      return connecting
          ? new TransferException(name, source.uri(), TransferException.Reason.CONNECT_FAILED, OptionalInt.empty(),
              "cannot connect within " + seconds(settings.connectTimeout()), "check the network connection", e)
          : new TransferException(name, source.uri(), TransferException.Reason.TIMED_OUT, OptionalInt.empty(),
              "the status line and headers were not complete within " + seconds(settings.readTimeout())
                  + " of the request",
              "check the network connection", e);
    }
    if (e instanceof ProxyException) {
      return new TransferException(name, source.uri(), TransferException.Reason.BAD_RESPONSE, OptionalInt.empty(),
          e.getMessage(), "check the proxy variables (https_proxy, http_proxy, all_proxy, no_proxy)", e);
    }
    Optional<String> tls = inBody ? Optional.empty() : Trust.advice(e, source.uri().getHost());
    if (tls.isPresent()) {
      return new TransferException(name, source.uri(), TransferException.Reason.BAD_RESPONSE, OptionalInt.empty(),
          "the TLS handshake with " + source.uri().getHost() + " failed", tls.get(), e);
    }
    if (e instanceof ProtocolException) {
      return new TransferException(name, source.uri(), TransferException.Reason.BAD_RESPONSE, OptionalInt.empty(),
          e.getMessage(), "this is not a working HTTP server; use another source", e);
    }
    if (e instanceof UnknownHostException || e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return new TransferException(name, source.uri(), TransferException.Reason.CONNECT_FAILED, OptionalInt.empty(),
          "cannot connect: " + e.getMessage(), "check the network connection", e);
    }
    return new TransferException(name, source.uri(), TransferException.Reason.CONNECTION_LOST, OptionalInt.empty(),
        "the connection broke" + at + " (" + e.getClass().getSimpleName()
            + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")",
        inBody ? kept(have, resumable) : "check the network connection", e);
  }

  /** What is true about the bytes received when a transfer stops in the body. */
  String kept(long have, boolean resumable) {
    if (have == 0) {
      return "check the network connection and try again";
    }
    return resumable
        ? "the " + have + " bytes received are kept; run the same command again to resume from there"
        : "the server sent no validator (ETag or Last-Modified), so a new attempt starts from the beginning";
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
