package soko.store;

import java.util.List;
import java.util.Optional;
import soko.verification.Digest;

/**
 * The sha256 of each fixed-size chunk of a blob (the last one shorter), kept in its verification
 * record so that a full verify hashes the chunks on every core at once, and a repair fetches only
 * the chunks that fail.
 *
 * <p>Trust: the chunk digests are computed from bytes that were, in the same pass, proven against
 * the manifest's sha256 of the whole file; so when every chunk of the file on disk matches, the
 * file is those bytes (SHA-256 being collision-resistant), and it matches the manifest. They are
 * derived data like the rest of the record: a missing, damaged or inconsistent list (wrong count
 * for the manifest's size) means a whole-file hash, never a pass. They do not protect against
 * someone who can write the store's records: such a person could equally write an "ok" record
 * that a cached check trusts, which is why {@code verify --full --whole} ignores them.
 */
record Chunks(long chunkSize, List<Digest> sha256) {
  /** 16 MiB: 64 chunks for 1 GiB, a task each, small enough to spread over the cores. */
  static final long SIZE = 16L * 1024 * 1024;

  Chunks {
    sha256 = List.copyOf(sha256);
  }

  /** How many chunks a file of {@code size} bytes has; files of one chunk or less have no list. */
  static int count(long size, long chunkSize) {
    return (int) ((size + chunkSize - 1) / chunkSize);
  }

  /** Whether a file of {@code size} bytes gets chunk records. */
  static boolean worthIt(long size) {
    return size > SIZE;
  }

  long offset(int i) {
    return i * chunkSize;
  }

  long length(int i, long fileSize) {
    return Math.min(chunkSize, fileSize - offset(i));
  }

  /** This list when it fits a file of {@code size} bytes, so it may stand for the file; else empty. */
  Optional<Chunks> fitting(long size) {
    return chunkSize >= 1024 * 1024 && chunkSize <= 1L << 30 && worthIt(size) && sha256.size() == count(size, chunkSize)
        ? Optional.of(this) : Optional.empty();
  }

  String hex() {
    StringBuilder b = new StringBuilder(sha256.size() * 64);
    sha256.forEach(d -> b.append(d.hex()));
    return b.toString();
  }

  static Chunks parseHex(long chunkSize, String hex) {
    if (hex.length() % 64 != 0) {
      throw new IllegalArgumentException("not a list of sha256 digests");
    }
    Digest[] out = new Digest[hex.length() / 64];
    for (int i = 0; i < out.length; i++) {
      out[i] = Digest.ofHex(hex.substring(i * 64, i * 64 + 64));
    }
    return new Chunks(chunkSize, List.of(out));
  }
}
