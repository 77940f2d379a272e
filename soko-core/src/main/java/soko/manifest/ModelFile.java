package soko.manifest;

import java.util.List;
import soko.verification.Digest;

/**
 * One file of a model: where it goes, how big it is, its sha256, and where to fetch it. Immutable and
 * thread-safe.
 *
 * @param path where the file goes inside the model's folder
 * @param size its size in bytes, {@code 0..}{@link #MAX_SIZE}
 * @param sha256 its content digest; the file is accepted only when its bytes hash to this
 * @param sources where to fetch it, tried in order, at most {@link #MAX_SOURCES}; a parsed manifest
 *     has at least one ({@link ManifestCodec} refuses an empty list, the record does not)
 */
public record ModelFile(RelativePath path, long size, Digest sha256, List<SourceUri> sources) {
  /** 1 TiB: larger is refused as a mistake or an attack on disk space. */
  public static final long MAX_SIZE = 1L << 40;
  /** The most sources one file may list. */
  public static final int MAX_SOURCES = 16;

  /**
   * Checks the size and copies the sources.
   *
   * @throws IllegalArgumentException if {@code size} is outside {@code 0..MAX_SIZE} or there are
   *     more than {@link #MAX_SOURCES} sources
   */
  public ModelFile {
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size " + size + " is out of range 0.." + MAX_SIZE);
    }
    sources = List.copyOf(sources);
    if (sources.size() > MAX_SOURCES) {
      throw new IllegalArgumentException("at most " + MAX_SOURCES + " sources per file");
    }
  }

  /**
   * Whether a copy of the file ships inside Soko.
   *
   * @return true when one of the sources is {@code bundled:}
   */
  public boolean bundled() {
    return sources.stream().anyMatch(s -> s.kind() == SourceUri.Kind.BUNDLED);
  }
}
