package soko.store;

/** How hard to check a model's files. */
public enum VerifyMode {
  /** Read records and stat files; never hash. For listings. */
  STAT_ONLY,
  /** Trust a file whose stat matches its last full hash; re-hash anything else. Before every use. */
  CACHED,
  /**
   * Re-hash every file. {@code soko verify --full}. A large file with chunk records is checked
   * chunk by chunk on every core against them ({@link Chunks}); one without gets the whole-file
   * hash, and its chunk records from the same reading.
   */
  FULL,
  /** Re-hash every file as one stream against the manifest, ignoring chunk records. {@code --full --whole}. */
  WHOLE
}
