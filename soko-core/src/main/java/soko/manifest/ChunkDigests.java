package soko.manifest;

import java.util.List;
import soko.verification.Digest;

/**
 * The sha256 of each fixed-size chunk of a file (the last one shorter), as a publisher lists them
 * in a manifest ({@code "chunks": {"size": 16777216, "sha256": [...]}}) so that a download checks
 * each range as it lands and drops a mirror at its first bad chunk, and a repair fetches only the
 * chunks that fail even when the local copy has no chunk records. Immutable and thread-safe.
 *
 * <p>Trust: they are as trustworthy as the manifest that carries them (a catalog's signature
 * covers them); the whole file is still proven against its sha256 before it is published, so a
 * wrong list can cost a download but never admit wrong bytes.
 *
 * @param chunkSize the size of each chunk in bytes: a power of two from {@link #MIN_SIZE} to
 *     {@link #MAX_SIZE}
 * @param sha256 the digest of each chunk in file order: 2 to {@link #MAX_COUNT} of them
 */
public record ChunkDigests(long chunkSize, List<Digest> sha256) {
  /** 1 MiB: smaller chunks would make the list longer than the checks are worth. */
  public static final long MIN_SIZE = 1L << 20;
  /** 1 GiB. */
  public static final long MAX_SIZE = 1L << 30;
  /** The most chunks one file may list (64 GiB in 16 MiB chunks; larger files take larger chunks). */
  public static final int MAX_COUNT = 4096;
  /** The chunk size {@code soko manifest create} picks when the count allows it. */
  public static final long DEFAULT_SIZE = 16L << 20;

  /**
   * Checks the size and the count and copies the list.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is not a power of two in range or the
   *     list has fewer than 2 or more than {@link #MAX_COUNT} digests
   */
  public ChunkDigests {
    String bad = sizeProblem(chunkSize);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    sha256 = List.copyOf(sha256);
    if (sha256.size() < 2 || sha256.size() > MAX_COUNT) {
      throw new IllegalArgumentException("lists " + sha256.size() + " chunk digests; 2 to " + MAX_COUNT + " are allowed");
    }
  }

  /** Why {@code chunkSize} cannot be a chunk size, or null when it can. */
  static String sizeProblem(long chunkSize) {
    if (chunkSize < MIN_SIZE || chunkSize > MAX_SIZE || Long.bitCount(chunkSize) != 1) {
      return "a chunk size of " + chunkSize + " bytes is not a power of two from " + MIN_SIZE + " (1 MiB) to "
          + MAX_SIZE + " (1 GiB)";
    }
    return null;
  }

  /**
   * How many chunks of {@code chunkSize} bytes a file of {@code fileSize} bytes has.
   *
   * @param fileSize the file's size, {@code >= 0}
   * @param chunkSize the chunk size, {@code > 0}
   * @return {@code ceil(fileSize / chunkSize)}
   */
  public static long count(long fileSize, long chunkSize) {
    return fileSize / chunkSize + (fileSize % chunkSize == 0 ? 0 : 1);
  }

  /**
   * The chunk size {@code soko manifest create} uses for a file: {@link #DEFAULT_SIZE}, doubled
   * until the file has at most {@link #MAX_COUNT} chunks; 0 when the file is too small to have
   * two chunks (it gets no list).
   *
   * @param fileSize the file's size in bytes
   * @return the chunk size, or 0
   */
  public static long sizeFor(long fileSize) {
    long c = DEFAULT_SIZE;
    while (c < MAX_SIZE && count(fileSize, c) > MAX_COUNT) {
      c <<= 1;
    }
    long n = count(fileSize, c);
    return n >= 2 && n <= MAX_COUNT ? c : 0;
  }

  /**
   * Where chunk {@code i} starts.
   *
   * @param i the chunk's index, from 0
   * @return its first byte's offset
   */
  public long offset(int i) {
    return i * chunkSize;
  }

  /**
   * How long chunk {@code i} of a file of {@code fileSize} bytes is (the last may be shorter).
   *
   * @param i the chunk's index, from 0
   * @param fileSize the file's size
   * @return its length in bytes
   */
  public long length(int i, long fileSize) {
    return Math.min(chunkSize, fileSize - offset(i));
  }
}
