package soko;

/**
 * Why an operation failed, the one table from which the CLI takes its exit code and the web API its
 * HTTP status and JSON {@code type}. Every {@link SokoException} carries one; {@code
 * soko.app.Failures#reason} finds the reason of any other throwable.
 * README's "Exit codes" section lists the same rows; a test compares them.
 */
public enum Reason {
  /** A size or sha256 did not match: a corrupt model, or a source that sent other bytes. */
  INTEGRITY(3, 500, "integrity"),
  /** A download was needed but not allowed: consent refused or not obtainable, or offline. */
  CONSENT(4, 409, "consent"),
  /** No such model, alias, version or registry artifact, or it is not installed. */
  NOT_FOUND(1, 404, "not-found"),
  /** A manifest, catalog, setting or argument that is not valid. */
  INVALID_INPUT(1, 400, "invalid-input"),
  /** The network or a server failed: connection, timeout, HTTP error, every source exhausted. */
  NETWORK(1, 502, "network"),
  /** A registry refused the credentials, or none were found for it. */
  REGISTRY_AUTH(1, 502, "registry-auth"),
  /** Another process holds the store's lock. */
  LOCKED(1, 409, "locked"),
  /** The storage budget leaves no room, even after evicting every model that may go. */
  OVER_BUDGET(1, 409, "over-budget"),
  /** The disk: no space, a folder that cannot be written, an I/O error in the store. */
  STORAGE(1, 507, "storage"),
  /** An engine could not load or run a model. */
  ENGINE(1, 500, "engine"),
  /** A bug: anything not foreseen. */
  INTERNAL(1, 500, "internal");

  private final int exitCode;
  private final int httpStatus;
  private final String jsonType;

  Reason(int exitCode, int httpStatus, String jsonType) {
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
    this.jsonType = jsonType;
  }

  /**
   * The CLI's exit code: 1, 3 or 4 (README, "Exit codes").
   *
   * @return the exit code
   */
  public int exitCode() {
    return exitCode;
  }

  /**
   * The web API's HTTP status.
   *
   * @return the status code, such as 404
   */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The {@code type} of a JSON error, the same for the CLI and the web API.
   *
   * @return the type, such as {@code not-found}
   */
  public String jsonType() {
    return jsonType;
  }
}
