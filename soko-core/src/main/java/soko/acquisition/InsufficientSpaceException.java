package soko.acquisition;

import java.nio.file.Path;

/** The downloads folder's disk has less usable space than the file still needs. Not retry-worthy. */
public final class InsufficientSpaceException extends AcquisitionException {
  private final Path folder;
  private final long needed;
  private final long usable;

  InsufficientSpaceException(String file, Path folder, long needed, long usable) {
    super(file, "not enough free space in " + folder + ": " + Sizes.describe(needed) + " more are needed, "
        + Sizes.describe(usable) + " are free", "free some space or move the cache folder to a larger disk", null);
    this.folder = folder;
    this.needed = needed;
    this.usable = usable;
  }

  public Path folder() {
    return folder;
  }

  /** Bytes the file still needs. */
  public long needed() {
    return needed;
  }

  /** Bytes usable on the disk when checked. */
  public long usable() {
    return usable;
  }

  @Override
  public boolean isRetryWorthy() {
    return false;
  }
}
