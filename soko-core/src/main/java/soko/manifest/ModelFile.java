package soko.manifest;

import java.util.List;
import java.util.Optional;
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
 * @param chunks the publisher's sha256 of each chunk of the file, when the manifest lists them:
 *     exactly as many as the file has chunks
 */
public record ModelFile(RelativePath path, long size, Digest sha256, List<SourceUri> sources,
    Optional<ChunkDigests> chunks) {
  /** 1 TiB: larger is refused as a mistake or an attack on disk space. */
  public static final long MAX_SIZE = 1L << 40;
  /** The most sources one file may list. */
  public static final int MAX_SOURCES = 16;

  /**
   * Checks the size and copies the sources.
   *
   * @throws IllegalArgumentException if {@code size} is outside {@code 0..MAX_SIZE}, there are
   *     more than {@link #MAX_SOURCES} sources, or the chunk digests are not one per chunk
   */
  public ModelFile {
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size " + size + " is out of range 0.." + MAX_SIZE);
    }
    sources = List.copyOf(sources);
    if (sources.size() > MAX_SOURCES) {
      throw new IllegalArgumentException("at most " + MAX_SOURCES + " sources per file");
    }
    if (chunks.isPresent() && ChunkDigests.count(size, chunks.get().chunkSize()) != chunks.get().sha256().size()) {
      throw new IllegalArgumentException("lists " + chunks.get().sha256().size() + " chunk digests, but a " + size
          + "-byte file has " + ChunkDigests.count(size, chunks.get().chunkSize()) + " chunks of "
          + chunks.get().chunkSize() + " bytes");
    }
  }

  /**
   * A file without chunk digests.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public ModelFile(RelativePath path, long size, Digest sha256, List<SourceUri> sources) {
    this(path, size, sha256, sources, Optional.empty());
  }

  /**
   * This file with other sources, its chunk digests kept.
   *
   * @param others the sources
   * @return the file
   */
  public ModelFile withSources(List<SourceUri> others) {
    return new ModelFile(path, size, sha256, others, chunks);
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
