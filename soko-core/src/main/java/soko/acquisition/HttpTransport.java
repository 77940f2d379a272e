package soko.acquisition;

import java.io.IOException;
import java.util.Optional;

/**
 * http(s) mirrors: a GET with {@code Range} and {@code If-Range}, redirects under the one policy,
 * and no credentials at all (Soko sends none to mirrors, so none can leak to another host).
 * Thread-safe.
 */
public final class HttpTransport implements Transport {
  private final Connector connector;
  private final java.time.Duration bodyIdleTimeout;

  /**
   * Fetches through {@code connector}.
   *
   * @param connector opens the connections
   * @param bodyIdleTimeout the longest a body read may block: a backstop behind the downloader's
   *     watchdog, which stops a stalled body sooner
   */
  public HttpTransport(Connector connector, java.time.Duration bodyIdleTimeout) {
    this.connector = connector;
    this.bodyIdleTimeout = bodyIdleTimeout;
  }

  @Override
  public boolean contentAddressed() {
    return false;
  }

  @Override
  public HttpResponse get(Request request) throws IOException, TransferException {
    HttpRequest r = HttpRequest.get(request.source()).with("Accept-Encoding", "identity")
        .withBodyIdleTimeout(bodyIdleTimeout);
    if (request.ranged()) {
      r = r.with("Range", request.rangeHeader());
    }
    if (request.ifRange().isPresent()) {
      r = r.with("If-Range", request.ifRange().get());
    }
    return switch (Redirects.follow(connector, r, Optional.empty())) {
      case Redirects.Outcome.Answered a -> a.response();
      case Redirects.Outcome.Refused f -> throw TransferException.refused(request, f);
    };
  }
}
