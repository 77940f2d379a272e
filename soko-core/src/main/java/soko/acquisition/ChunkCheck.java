package soko.acquisition;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Optional;
import soko.manifest.ChunkDigests;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * The sha256 of one chunk of a file as a range receives it, to compare with the manifest's chunk
 * digest when its last byte has landed. A range that resumes inside a chunk first hashes that
 * chunk's bytes already on disk. Confined to the thread of one range.
 */
final class ChunkCheck {
  private final ChunkDigests chunks;
  private final int index;
  private final long start;
  private final long end;
  private final MessageDigest md = Hashing.newSha256();

  private ChunkCheck(ChunkDigests chunks, int index, long start, long end) {
    this.chunks = chunks;
    this.index = index;
    this.start = start;
    this.end = end;
  }

  /**
   * The check of the chunk holding byte {@code pos} of {@code file}, fed with the chunk's bytes
   * before {@code pos} read back from {@code data} (through {@code buffer}).
   */
  static ChunkCheck resume(ModelFile file, PartialFile data, long pos, byte[] buffer) throws IOException {
    ChunkDigests c = file.chunks().orElseThrow();
    int index = (int) (pos / c.chunkSize());
    ChunkCheck check = new ChunkCheck(c, index, c.offset(index), c.offset(index) + c.length(index, file.size()));
    long at = check.start;
    while (at < pos) {
      int n = data.read(buffer, (int) Math.min(buffer.length, pos - at), at);
      if (n < 0) {
        throw new IOException("the partial download ended at " + at + " bytes, before " + pos);
      }
      check.md.update(buffer, 0, n);
      at += n;
    }
    return check;
  }

  /** The chunk's first byte. */
  long start() {
    return start;
  }

  /** The byte after the chunk's last. */
  long end() {
    return end;
  }

  void update(byte[] bytes, int n) {
    md.update(bytes, 0, n);
  }

  /** Once every byte is in: empty when the chunk matches the manifest, else what is wrong. */
  Optional<String> problem() {
    Digest got = Digest.of(md.digest());
    Digest want = chunks.sha256().get(index);
    return got.equals(want) ? Optional.empty()
        : Optional.of("sent chunk " + index + " (bytes " + start + "-" + (end - 1) + ") with sha256 " + got.hex()
            + ", but the manifest says " + want.hex());
  }
}
