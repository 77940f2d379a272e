package soko.store;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import soko.verification.Digest;
import soko.verification.Hashing;

/** The sha256 of each fixed-size chunk of a stream, fed the same buffers as the whole-file digest. Not thread-safe. */
final class ChunkDigester {
  private final long chunkSize;
  private final MessageDigest md = Hashing.newSha256();
  private final List<Digest> done = new ArrayList<>();
  private long inChunk;

  ChunkDigester(long chunkSize) {
    this.chunkSize = chunkSize;
  }

  void update(byte[] b, int off, int len) {
    while (len > 0) {
      int n = (int) Math.min(len, chunkSize - inChunk);
      md.update(b, off, n);
      off += n;
      len -= n;
      inChunk += n;
      if (inChunk == chunkSize) {
        done.add(Digest.of(md.digest()));
        inChunk = 0;
      }
    }
  }

  Chunks finish() {
    if (inChunk > 0) {
      done.add(Digest.of(md.digest()));
      inChunk = 0;
    }
    return new Chunks(chunkSize, done);
  }
}
