package soko.web;

import java.util.Optional;

/**
 * A request that is refused before (or instead of) doing anything: the HTTP status, a short
 * machine-readable type and one line saying what is wrong.
 */
final class Refusal extends Exception {
  private final int status;
  private final String type;
  private final Optional<String> allow;
  /** Extra JSON fields for the error document, e.g. the current plan; a JSON object's text. */
  private final Optional<String> extra;

  Refusal(int status, String type, String message) {
    this(status, type, message, Optional.empty(), Optional.empty(), null);
  }

  Refusal(int status, String type, String message, Optional<String> allow, Optional<String> extra, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.type = type;
    this.allow = allow;
    this.extra = extra;
  }

  static Refusal badRequest(String message) {
    return new Refusal(400, "bad-request", message);
  }

  static Refusal forbidden(String type, String message) {
    return new Refusal(403, type, message);
  }

  static Refusal notFound(String message) {
    return new Refusal(404, "not-found", message);
  }

  static Refusal method(String method, String allowed) {
    return new Refusal(405, "method", method + " is not allowed here; use " + allowed, Optional.of(allowed),
        Optional.empty(), null);
  }

  /** The same refusal saying {@code message} instead. */
  Refusal withMessage(String message) {
    return new Refusal(status, type, message, allow, extra, getCause());
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  Optional<String> allow() {
    return allow;
  }

  Optional<String> extra() {
    return extra;
  }
}
