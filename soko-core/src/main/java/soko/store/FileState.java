package soko.store;

/**
 * The verification state of an installed file, as {@code soko list} shows it. The constants are in
 * order of severity.
 */
public enum FileState {
  /** Hashed and matched, and unchanged since (by its stat) — or just re-hashed. */
  VERIFIED("verified"),
  /** Present, but not hashed since it last changed (or never): the next use re-hashes it. */
  UNVERIFIED("unverified"),
  /** Its size or sha256 does not match the manifest. Refused until repaired. */
  CORRUPT("corrupt"),
  /** Not in the store. */
  MISSING("missing");

  private final String id;

  FileState(String id) {
    this.id = id;
  }

  /**
   * The state's name in output and JSON.
   *
   * @return such as {@code verified}
   */
  public String id() {
    return id;
  }

  /**
   * The worse of two states, for a model's overall state.
   *
   * @param other another state
   * @return the later one in declaration order (VERIFIED, UNVERIFIED, CORRUPT, MISSING)
   */
  public FileState worse(FileState other) {
    return ordinal() >= other.ordinal() ? this : other;
  }

  @Override
  public String toString() {
    return id;
  }
}
