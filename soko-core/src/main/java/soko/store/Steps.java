package soko.store;

/**
 * Named points of the store's multi-step operations, so that a test can stop a child process at
 * an exact step (and kill it there) to prove that every step can be interrupted. Package-private:
 * only a test in this package can pass anything but {@link #NONE}.
 */
interface Steps {
  Steps NONE = step -> {};

  /** The operation has just done {@code step}, such as {@code "ref-deleted"}. */
  void reached(String step);
}
