package soko.manifest;

import java.util.List;
import soko.verification.Digest;

/** One file of a model: where it goes, how big it is, its sha256, and where to fetch it. */
public record ModelFile(RelativePath path, long size, Digest sha256, List<SourceUri> sources) {
  /** 1 TiB: larger is refused as a mistake or an attack on disk space. */
  public static final long MAX_SIZE = 1L << 40;
  public static final int MAX_SOURCES = 16;

  public ModelFile {
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size " + size + " is out of range 0.." + MAX_SIZE);
    }
    sources = List.copyOf(sources);
    if (sources.size() > MAX_SOURCES) {
      throw new IllegalArgumentException("at most " + MAX_SOURCES + " sources per file");
    }
  }

  public boolean bundled() {
    return sources.stream().anyMatch(s -> s.kind() == SourceUri.Kind.BUNDLED);
  }
}
