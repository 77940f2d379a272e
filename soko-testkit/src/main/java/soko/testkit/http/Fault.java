package soko.testkit.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultServer} route does wrong on one request. Queue faults with {@link
 * FaultServer.Route#then}; a request with no queued fault is served correctly.
 *
 * <p>Byte counts refer to body bytes of the response being sent (after any Range was applied).
 */
public sealed interface Fault {
  /** Answers with this status and a short text body. */
  record Status(int code) implements Fault {}

  /** Answers with this status, a short text body and a Retry-After header with exactly this value. */
  record RetryAfter(int code, String value) implements Fault {}

  /** Sends the right headers, then only {@code bytes} of the body, then closes the connection. */
  record TruncateAfter(long bytes) implements Fault {}

  /** Sends {@code bytes} of the body, then resets the connection (TCP RST). */
  record ResetAfter(long bytes) implements Fault {}

  /** Sends {@code bytes} of the body, then sends nothing for {@code hold}, then closes. */
  record StallAfter(long bytes, Duration hold) implements Fault {}

  /** Answers 200 with the whole body even when a Range was asked for. */
  record IgnoreRange() implements Fault {}

  /** Declares {@code Content-Length} as the true length plus {@code delta}, sends at most that many bytes, then closes. */
  record WrongContentLength(long delta) implements Fault {}

  /** Sends the declared body and then {@code extra} more bytes the headers did not announce. */
  record ExtraBytes(int extra) implements Fault {}

  /** Answers 200 with no Content-Length and a body that never ends, until the client hangs up. */
  record Endless() implements Fault {}

  /** Sends a body of the right length with one byte changed in its middle. */
  record Corrupt() implements Fault {}

  /** Answers with a redirect ({@code status}, e.g. 302) to {@code location}. */
  record Redirect(int status, URI location) implements Fault {
    public Redirect {
      Objects.requireNonNull(location, "location");
    }
  }

  /** Answers 401 with this {@code WWW-Authenticate} challenge (a registry asking for credentials). */
  record Unauthorized(String challenge) implements Fault {
    public Unauthorized {
      Objects.requireNonNull(challenge, "challenge");
    }
  }

  /** Sends {@code bytes} of the body at full speed, then {@code chunk} bytes every {@code every}, to the end. */
  record Trickle(long bytes, int chunk, Duration every) implements Fault {
    public Trickle {
      Objects.requireNonNull(every, "every");
    }
  }

  /** Sends the response head one byte every {@code every}, then the body. */
  record SlowHead(Duration every) implements Fault {
    public SlowHead {
      Objects.requireNonNull(every, "every");
    }
  }

  /** Answers with {@code text}, which is not HTTP at all, and closes the connection. */
  record NotHttp(String text) implements Fault {
    public NotHttp {
      Objects.requireNonNull(text, "text");
    }
  }

  /** Changes the route's ETag to {@code etag} (the file "changed on the server"), then serves this request. */
  record NewEtag(String etag) implements Fault {
    public NewEtag {
      Objects.requireNonNull(etag, "etag");
    }
  }
}
