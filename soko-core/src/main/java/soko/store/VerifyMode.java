package soko.store;

/** How hard to check a model's files. */
public enum VerifyMode {
  /** Read records and stat files; never hash. For listings. */
  STAT_ONLY,
  /** Trust a file whose stat matches its last full hash; re-hash anything else. Before every use. */
  CACHED,
  /** Re-hash every file. {@code soko verify --full}. */
  FULL
}
