package soko.acquisition;

/**
 * The fetch was cancelled by interrupting the calling thread (or the fetching thread, from a
 * listener). The bytes received so far are kept and the next fetch resumes from them. An
 * interrupted caller's interrupt status is set again before this is thrown.
 */
public final class DownloadCancelledException extends AcquisitionException {
  /** Bytes received and kept for the next fetch. */
  private final long bytesKept;

  DownloadCancelledException(String file, long bytesKept, long size, Throwable cause) {
    super(file, "the download was cancelled at " + bytesKept + " of " + size + " bytes",
        bytesKept > 0 ? "the partial download is kept and resumes next time" : "", cause);
    this.bytesKept = bytesKept;
  }

  /** The cancel of a fetch on this thread: sets the thread's interrupt status again, then returns the exception to throw. */
  static DownloadCancelledException interrupted(String file, long bytesKept, long size, Throwable cause) {
    Thread.currentThread().interrupt();
    return new DownloadCancelledException(file, bytesKept, size, cause);
  }

  /**
   * How far the download got.
   *
   * @return bytes received and kept for the next fetch to resume from; 0 when nothing is kept
   */
  public long bytesKept() {
    return bytesKept;
  }

  @Override
  public boolean isRetryWorthy() {
    return false;
  }
}
