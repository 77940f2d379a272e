package soko.acquisition;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The downloads folder could not be used: a read or write failed, or another download of the same
 * file holds it ({@link #isRetryWorthy()} is true only for that).
 */
public final class DownloadsFolderException extends AcquisitionException {
  /** The file or folder involved. */
  private final Path path;
  /** Whether another download holds the file. */
  private final boolean busy;

  private DownloadsFolderException(String file, Path path, boolean busy, String problem, String fix,
      @Nullable Throwable cause) {
    super(file, problem, fix, cause);
    this.path = path;
    this.busy = busy;
  }

  static DownloadsFolderException io(String file, Path path, String doing, Throwable cause) {
    return new DownloadsFolderException(file, path, false, "cannot " + doing + " " + path + ": " + cause,
        "check that the cache folder is writable and its disk is healthy", cause);
  }

  static DownloadsFolderException busy(String file, Path path) {
    return new DownloadsFolderException(file, path, true,
        "another download of this file is running (in this or another Soko process) and holds " + path,
        "wait for it to finish", null);
  }

  /**
   * Where the problem is.
   *
   * @return the file or folder involved, inside the downloads folder
   */
  public Path path() {
    return path;
  }

  /**
   * Whether another download holds the file.
   *
   * @return true when another download (in this or another process) holds the file; false for an
   *     I/O failure
   */
  public boolean busy() {
    return busy;
  }

  @Override
  public boolean isRetryWorthy() {
    return busy;
  }
}
