package soko.acquisition;

import java.nio.file.Path;

/** The downloads folder's disk has less usable space than the file still needs. Not retry-worthy. */
public final class InsufficientSpaceException extends AcquisitionException {
  /** The downloads folder. */
  private final Path folder;
  /** Bytes the file still needs. */
  private final long needed;
  /** Bytes usable on the disk when checked. */
  private final long usable;

  InsufficientSpaceException(String file, Path folder, long needed, long usable) {
    super(file, "not enough free space in " + folder + ": " + Sizes.describe(needed) + " more are needed, "
        + Sizes.describe(usable) + " are free", "free some space or move the cache folder to a larger disk", null);
    this.folder = folder;
    this.needed = needed;
    this.usable = usable;
  }

  /**
   * Which disk is full.
   *
   * @return the downloads folder checked
   */
  public Path folder() {
    return folder;
  }

  /**
   * How much more space the file needs.
   *
   * @return bytes the file still needs
   */
  public long needed() {
    return needed;
  }

  /**
   * How much space was free.
   *
   * @return bytes usable on the disk when checked
   */
  public long usable() {
    return usable;
  }

  @Override
  public boolean isRetryWorthy() {
    return false;
  }
}
