package soko.acquisition;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The network or the server failed: no answer, an error status, a broken or stalled body, bad
 * redirects. Immutable once thrown.
 */
public final class TransferException extends AcquisitionException {
  /** What failed. */
  public enum Reason {
    /** No connection could be made. Retry-worthy. */
    CONNECT_FAILED,
    /** The server did not answer within the read timeout. Retry-worthy. */
    TIMED_OUT,
    /** The body stopped arriving for longer than the stall timeout. Retry-worthy. */
    STALLED,
    /** The body arrived slower than the minimum rate over a whole window. Retry-worthy. */
    TOO_SLOW,
    /** The connection broke in the middle of the body (reset, I/O error). Retry-worthy. */
    CONNECTION_LOST,
    /** The body ended before all its bytes arrived. Retry-worthy. */
    TRUNCATED,
    /** The server answered with an error status; retry-worthy for 408, 429 and 5xx only. */
    HTTP_STATUS,
    /** More than {@link Redirects#MAX_REDIRECTS} redirects, or a loop. */
    TOO_MANY_REDIRECTS,
    /** A redirect from https to http, or to a scheme other than http(s). */
    INSECURE_REDIRECT,
    /** The answer broke the protocol (a malformed Content-Range, a reply that is not HTTP), or credentials were refused. */
    BAD_RESPONSE
  }

  /** What failed. */
  private final Reason reason;
  /** The source URL being fetched, before redirects. */
  private final URI uri;
  /** The HTTP status, for {@link Reason#HTTP_STATUS}. */
  private final OptionalInt status;
  /** How long the server asked to wait. */
  private final Optional<Duration> retryAfter;

  /**
   * For {@link Transport}s: {@code uri} is the source as the manifest names it, {@code problem}
   * what went wrong and {@code fix} what to do, each without the file name.
   *
   * @param file the file's path inside its model
   * @param uri the source as the manifest names it
   * @param reason what failed
   * @param status the HTTP status, for {@link Reason#HTTP_STATUS} (and where one was received)
   * @param problem what went wrong, one line
   * @param fix what the user can do; empty for none
   * @param cause the underlying error, or {@code null}
   */
  public TransferException(String file, URI uri, Reason reason, OptionalInt status, String problem, String fix,
      @Nullable Throwable cause) {
    this(file, uri, reason, status, Optional.empty(), problem, fix, cause);
  }

  /**
   * A redirect the {@link Redirects} policy refused to follow, as the downloader reports it.
   *
   * @param request the request whose redirect was refused
   * @param f the refusal
   * @return the exception ({@link Reason#BAD_RESPONSE}, {@link Reason#TOO_MANY_REDIRECTS} or {@link
   *     Reason#INSECURE_REDIRECT}), to be thrown by the caller
   */
  public static TransferException refused(Transport.Request request, Redirects.Outcome.Refused f) {
    return switch (f.refusal()) {
      case NO_LOCATION -> new TransferException(request.file(), request.source(), Reason.BAD_RESPONSE,
          OptionalInt.of(f.status()), f.problem(), "use another source", null);
      case TOO_MANY -> new TransferException(request.file(), request.source(), Reason.TOO_MANY_REDIRECTS,
          OptionalInt.of(f.status()), f.problem(), "the server's redirects loop; use another source", null);
      case UNSAFE -> new TransferException(request.file(), request.source(), Reason.INSECURE_REDIRECT,
          OptionalInt.of(f.status()), f.problem(), "Soko refuses it; use an https source that stays on https", null);
    };
  }

  TransferException(String file, URI uri, Reason reason, OptionalInt status, Optional<Duration> retryAfter,
      String problem, String fix, @Nullable Throwable cause) {
    super(file, "downloading " + uri + ": " + problem, fix, cause);
    this.reason = reason;
    this.uri = uri;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /**
   * How long the server asked to wait before the next request.
   *
   * @return its {@code Retry-After}, or empty when it did not say
   */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  /**
   * What went wrong with the transfer. Not {@code reason()}: that is the {@link soko.Reason} every
   * Soko failure carries ({@link soko.Reason#NETWORK}, or {@link soko.Reason#INTEGRITY} for wrong
   * bytes).
   *
   * @return the kind of transfer failure
   */
  public Reason kind() {
    return reason;
  }

  /**
   * Which source failed.
   *
   * @return the source URL that was being fetched (before redirects)
   */
  public URI uri() {
    return uri;
  }

  /**
   * The server's status.
   *
   * @return the HTTP status for {@link Reason#HTTP_STATUS}; otherwise present only when a status
   *     was received (such as a refused redirect's)
   */
  public OptionalInt status() {
    return status;
  }

  @Override
  public boolean isRetryWorthy() {
    return switch (reason) {
      case CONNECT_FAILED, TIMED_OUT, STALLED, TOO_SLOW, CONNECTION_LOST, TRUNCATED -> true;
      case HTTP_STATUS -> {
        int s = status.orElse(0);
        yield s == 408 || s == 429 || s >= 500;
      }
      case TOO_MANY_REDIRECTS, INSECURE_REDIRECT, BAD_RESPONSE -> false;
    };
  }
}
