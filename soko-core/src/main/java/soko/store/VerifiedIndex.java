package soko.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import soko.verification.Digest;

/**
 * {@code state/verified.index}: the good verification records of a store in one file, so that a
 * check of an unchanged blob costs one {@code lstat} instead of a {@code stat}, an open and a parse
 * of its record. The index is derived data, a cache in front of {@link VerificationRecords}:
 *
 * <ul>
 *   <li><b>Entries.</b> Each entry is a blob's sha256 with the stamp (size, modification and change
 *       time in nanoseconds, device and inode) the blob had when it was hashed and found good, and
 *       when. Only good results are indexed; a failed check lives in its record only.
 *   <li><b>Racily clean.</b> As in git's index: a file changed within the file system's timestamp
 *       granularity of the moment its stamp was recorded can keep the same stamp. So an entry whose
 *       modification time is not strictly older than the index file's own modification time (the
 *       same clock and granularity) is never trusted: the blob is re-hashed. An entry enters the
 *       index only from a record that passed the same rule against its own file's modification
 *       time, so that an entry carried into a later index is never made trustworthy by the later
 *       write.
 *   <li><b>Writers.</b> Any process may refresh it: under {@code locks/verified-index.lock},
 *       taken without waiting (a writer that finds it held leaves the refresh to the holder), it
 *       reads the index as it is on disk, merges what it learnt, re-reads each new entry's record
 *       (so a record rewritten as bad meanwhile is never indexed as good), and replaces the file
 *       atomically. A reader never takes the lock.
 *   <li><b>Invalidation.</b> A record written as bad removes its entry under the lock, waiting for
 *       it; if the lock cannot be had, the index file is deleted. Deleting a blob (gc, a removal,
 *       dropping a kept version) takes out the entries of blobs that are gone ({@link #prune}), the
 *       same way.
 *   <li><b>Damage.</b> A file with the wrong magic, a foreign version, a bad checksum or any
 *       inconsistency is ignored (as if empty) and rebuilt by the next refresh, never trusted.
 * </ul>
 *
 * <p>Format (big-endian): {@code "SOKOVIX1"}, int entry count, then per entry 32 bytes of sha256,
 * long size, long mtime ns, byte has-ctime, long ctime ns, short length and UTF-8 bytes of the
 * file key, long verifiedAt epoch ms; then the CRC-32C of everything before it. Thread-safe.
 */
final class VerifiedIndex {
  private static final byte[] MAGIC = "SOKOVIX1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_BYTES = 256 * 1024 * 1024;
  private static final int MAX_KEY = 512;
  /** How long removing a bad blob's entry waits for another writer. */
  private static final Duration INVALIDATE_WAIT = Duration.ofSeconds(10);

  /** One good result: the blob had {@code stamp} when it was hashed and matched at {@code verifiedAt}. */
  record Entry(Digest sha256, FileStamp stamp, Instant verifiedAt) {}

  /** The index as read, with its file's stamp then (the racy rule's reference). */
  private record Loaded(Map<Digest, Entry> entries, FileStamp file, boolean damaged) {
    static final Loaded EMPTY = new Loaded(Map.of(), FileStamp.MISSING, false);
  }

  private final Path file;
  private final Path lock;
  private volatile Loaded loaded;
  /** Good, non-racy records met outside the index: written by the next refresh. */
  private final Map<Digest, Entry> admitted = new ConcurrentHashMap<>();
  /** Entries of the loaded index found not to match their blob any more: dropped by the next refresh. */
  private final Map<Digest, Entry> stale = new ConcurrentHashMap<>();

  VerifiedIndex(Path file, Path lock) {
    this.file = file;
    this.lock = lock;
  }

  /** The trusted entry for a blob whose stamp is {@code now}, if the index has one that matches. */
  Optional<Entry> lookup(Digest d, FileStamp now) {
    Loaded l = current();
    Entry e = l.entries.get(d);
    if (e == null) {
      return Optional.empty();
    }
    if (!now.regularFile() || !e.stamp().sameAs(now)) {
      stale.put(d, e);
      return Optional.empty();
    }
    return Optional.of(e);
  }

  /** A good record, proven not racy against its own file, that the index should hold. */
  void admit(Entry e) {
    Entry have = current().entries.get(e.sha256());
    if (have == null || !have.stamp().sameAs(e.stamp())) {
      admitted.put(e.sha256(), e);
    }
  }

  /** Re-reads the index when another process replaced it since it was loaded. Costs one stat. */
  void reloadIfChanged() {
    Loaded l = loaded;
    if (l != null && !stampOf(file).sameAs(l.file)) {
      loaded = null;
    }
  }

  /** Whether a refresh has anything to write. */
  boolean dirty() {
    return !admitted.isEmpty() || !stale.isEmpty() || current().damaged;
  }

  /**
   * Writes what this process learnt, if nobody else is writing the index right now. Best-effort:
   * the index is a cache, so a failure only costs the next check some reads.
   *
   * @param recheck reads a blob's record again, as it is now; the entry is written only when it
   *     still says good with the same stamp
   */
  @SuppressWarnings("try") // the lock is held for the body, never used in it
  void refresh(java.util.function.Function<Digest, Optional<Entry>> recheck) {
    if (!dirty()) {
      return;
    }
    try (StoreLock.Held held = StoreLock.acquire(lock, Duration.ZERO)) {
      Loaded disk = read();
      Map<Digest, Entry> next = new HashMap<>(disk.entries);
      for (Map.Entry<Digest, Entry> s : stale.entrySet()) {
        Entry e = next.get(s.getKey());
        if (e != null && e.stamp().sameAs(s.getValue().stamp())) {
          next.remove(s.getKey());
        }
      }
      for (Entry a : admitted.values()) {
        Optional<Entry> still = recheck.apply(a.sha256());
        if (still.isPresent() && still.get().stamp().sameAs(a.stamp())) {
          next.put(a.sha256(), a);
        }
      }
      write(next);
      admitted.clear();
      stale.clear();
      loaded = new Loaded(Map.copyOf(next), stampOf(file), false);
    } catch (StoreException | IOException | RuntimeException e) {
      // Locked by another writer, or the disk is full: the records still answer.
    }
  }

  /**
   * Takes a blob out of the index because its record now says bad (or is gone). Waits for the lock;
   * when it cannot be had, deletes the index, which only costs the next checks their records.
   */
  @SuppressWarnings("try") // the lock is held for the body, never used in it
  void invalidate(Digest d) {
    admitted.remove(d);
    Loaded l = loaded;
    boolean inMemory = l != null && l.entries.containsKey(d);
    try (StoreLock.Held held = StoreLock.acquire(lock, INVALIDATE_WAIT)) {
      Loaded disk = read();
      if (disk.entries.containsKey(d)) {
        Map<Digest, Entry> next = new HashMap<>(disk.entries);
        next.remove(d);
        write(next);
      }
      loaded = null;
    } catch (StoreException | IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // Nothing else to do: records, the source of truth, already say bad.
      }
      loaded = null;
    }
    if (inMemory) {
      loaded = null;
    }
  }

  /**
   * Takes out the entries of blobs that are gone or changed, so that the index does not keep the
   * entries of blobs that gc or a removal deleted: an entry is dropped when {@code inScope} accepts
   * its digest and the file at {@code blob.apply(digest)} is missing or no longer has the entry's
   * stamp. Waits for the lock, reads the index as it is on disk and replaces it atomically; when the
   * lock cannot be had, deletes the index, which only costs the next checks their records. A damaged
   * index is written back empty. Best-effort: returns how many entries were dropped (-1 when the
   * index was deleted instead).
   */
  @SuppressWarnings("try") // the lock is held for the body, never used in it
  int prune(java.util.function.Predicate<Digest> inScope, java.util.function.Function<Digest, Path> blob) {
    try (StoreLock.Held held = StoreLock.acquire(lock, INVALIDATE_WAIT)) {
      Loaded disk = read();
      Map<Digest, Entry> next = new HashMap<>(disk.entries);
      int before = next.size();
      next.values().removeIf(e -> inScope.test(e.sha256()) && !stampOf(blob.apply(e.sha256())).sameAs(e.stamp()));
      if (next.size() != before || disk.damaged) {
        write(next);
      }
      loaded = null;
      return before - next.size();
    } catch (StoreException | IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // The entries left are checked against each blob's stamp before any is trusted.
      }
      loaded = null;
      return -1;
    }
  }

  private Loaded current() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (this) {
        l = loaded;
        if (l == null) {
          l = read();
          loaded = l;
        }
      }
    }
    return l;
  }

  /** The index on disk, racy entries left out; empty (and {@code damaged}) when it cannot be trusted. */
  private Loaded read() {
    // The stamp first: if the file is replaced between the stat and the read, the newer content is
    // judged against the older time, which only makes more entries racy.
    FileStamp stamp = stampOf(file);
    if (stamp == FileStamp.MISSING) {
      return Loaded.EMPTY;
    }
    byte[] bytes;
    try {
      bytes = Files2.readRegular(file, MAX_BYTES);
    } catch (IOException e) {
      return new Loaded(Map.of(), stamp, true);
    }
    try {
      return new Loaded(parse(bytes, stamp.mtimeNanos()), stamp, false);
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      return new Loaded(Map.of(), stamp, true);
    }
  }

  /** Parses an index, keeping the entries older than {@code writtenNanos}. */
  static Map<Digest, Entry> parse(byte[] bytes, long writtenNanos) {
    ByteBuffer b = opened(bytes, MAGIC, "a verified index");
    int count = b.getInt();
    if (count < 0 || count > bytes.length / 40) {
      throw new IllegalArgumentException("bad entry count");
    }
    Map<Digest, Entry> out = HashMap.newHashMap(count);
    byte[] sha = new byte[32];
    for (int i = 0; i < count; i++) {
      b.get(sha);
      long size = b.getLong();
      long mtime = b.getLong();
      boolean hasCtime = b.get() != 0;
      long ctime = b.getLong();
      int keyLen = b.getShort();
      if (keyLen < 0 || keyLen > MAX_KEY) {
        throw new IllegalArgumentException("bad file key");
      }
      byte[] key = new byte[keyLen];
      b.get(key);
      long at = b.getLong();
      if (size < 0) {
        throw new IllegalArgumentException("bad size");
      }
      if (mtime >= writtenNanos) {
        continue; // racily clean: re-hash, never trust
      }
      Digest d = Digest.of(sha);
      out.put(d, new Entry(d, new FileStamp(size, mtime, hasCtime ? OptionalLong.of(ctime) : OptionalLong.empty(),
          new String(key, StandardCharsets.UTF_8), true), Instant.ofEpochMilli(at)));
    }
    if (b.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes");
    }
    return out;
  }

  static byte[] format(Iterable<Entry> entries, int count) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + count * 100);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(count);
      for (Entry e : entries) {
        out.write(java.util.HexFormat.of().parseHex(e.sha256().hex()));
        FileStamp s = e.stamp();
        out.writeLong(s.size());
        out.writeLong(s.mtimeNanos());
        out.writeByte(s.ctimeNanos().isPresent() ? 1 : 0);
        out.writeLong(s.ctimeNanos().orElse(0));
        byte[] key = s.fileKey().getBytes(StandardCharsets.UTF_8);
        out.writeShort(key.length);
        out.write(key);
        out.writeLong(e.verifiedAt().toEpochMilli());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e); // in memory
    }
    return sealed(bytes.toByteArray());
  }

  /** {@code body} followed by its CRC-32C: the file format of the store's indexes. */
  static byte[] sealed(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  /**
   * The body of a {@link #sealed} file after its {@code magic}, once the magic and the checksum
   * are right.
   *
   * @throws IllegalArgumentException when it is not {@code what} of this version, or is damaged
   */
  static ByteBuffer opened(byte[] bytes, byte[] magic, String what) {
    if (bytes.length < magic.length + 8 || !Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
      throw new IllegalArgumentException("not " + what + " of this version");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    return b.limit(bytes.length - 4).position(magic.length);
  }

  private void write(Map<Digest, Entry> entries) throws IOException {
    java.util.List<Entry> kept = entries.values().stream()
        .filter(e -> e.stamp().fileKey().getBytes(StandardCharsets.UTF_8).length <= MAX_KEY).toList();
    Files2.writeAtomically(file, format(kept, kept.size()));
  }

  private static FileStamp stampOf(Path p) {
    try {
      return FileStamp.of(p);
    } catch (NoSuchFileException e) {
      return FileStamp.MISSING;
    } catch (IOException e) {
      return FileStamp.MISSING;
    }
  }
}
