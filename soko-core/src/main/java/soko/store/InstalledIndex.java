package soko.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.verification.Digest;

/**
 * {@code state/installed.index}: every installed model's ref and its parsed manifest in one file,
 * so that listing the installed models reads one file and {@code stat}s two per model instead of
 * reading, hashing and strictly parsing a ref and a manifest per model. Derived data, a cache in
 * front of {@link Refs}:
 *
 * <ul>
 *   <li><b>Entries.</b> One per model name: what its ref said, its manifest as parsed (after its
 *       bytes were proven against the ref's sha256), and the stamps (size, modification and change
 *       time in nanoseconds, device and inode) the ref and the manifest file had when they were
 *       read. A reader uses an entry only when both files still have those stamps; otherwise it
 *       reads and checks both files as if there were no index.
 *   <li><b>Folders.</b> The refs folder is listed at every read: which models are installed never
 *       comes from the index, only what an unchanged ref and manifest say.
 *   <li><b>Racily clean.</b> As in git's index: a file changed within the file system's timestamp
 *       granularity of the moment its stamp was taken can keep the same stamp. So an entry whose
 *       files' modification times are not strictly older than the index file's own is never
 *       trusted; and an entry is written only for files whose modification time was more than
 *       {@link #SETTLE} old when they were read (coarser than any file system's timestamps), so
 *       that a later write of the index never vouches for a file changed in the same tick as its
 *       read.
 *   <li><b>Writers.</b> Any process that read the models may write what it saw, under
 *       {@code locks/installed-index.lock} taken without waiting (a writer that finds it held
 *       leaves the refresh to the holder), replacing the file atomically. A reader never takes the
 *       lock, so it never blocks a writer. A write lost to a race or a kill only costs the next
 *       reader the files.
 *   <li><b>Damage.</b> A file with the wrong magic, a foreign version, a bad checksum or any value
 *       the manifest records refuse is ignored (as if empty) and rebuilt by the next refresh, never
 *       trusted.
 * </ul>
 *
 * <p>Format (big-endian, {@link DataOutputStream}): {@code "SOKOIIX1"}, int entry count, the
 * entries, then the CRC-32C of everything before it. Thread-safe.
 */
final class InstalledIndex {
  private static final byte[] MAGIC = "SOKOIIX1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_BYTES = 256 * 1024 * 1024;
  /** How old a file must be (by its modification time) before an entry may vouch for it. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  /** One model as read from its files, with the stamps those files had before they were read. */
  record Entry(Refs.Ref ref, FileStamp refStamp, Manifest manifest, FileStamp manifestStamp) {}

  /** The trusted entries of the index as read, and whether the file must be rewritten. */
  record Snapshot(Map<ModelName, Entry> entries, boolean damaged) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), false);
  }

  private final Path file;
  private final Path lock;

  InstalledIndex(Path file, Path lock) {
    this.file = file;
    this.lock = lock;
  }

  /** The index on disk, racy entries left out; empty (and {@code damaged}) when it cannot be trusted. */
  Snapshot read() {
    // The stamp first: if the file is replaced between the stat and the read, the newer content is
    // judged against the older time, which only makes more entries racy.
    FileStamp stamp = stampOf(file);
    if (!stamp.regularFile()) {
      return stamp == FileStamp.MISSING ? Snapshot.EMPTY : new Snapshot(Map.of(), true);
    }
    try {
      return new Snapshot(parse(Files2.readRegular(file, MAX_BYTES), stamp.mtimeNanos()), false);
    } catch (IOException | RuntimeException e) {
      return new Snapshot(Map.of(), true);
    }
  }

  /** Whether a file read at {@code readAtMillis} with this stamp may be vouched for by an entry. */
  static boolean settled(FileStamp s, long readAtMillis) {
    return s.regularFile() && s.mtimeNanos() < (readAtMillis - SETTLE.toMillis()) * 1_000_000L;
  }

  /**
   * Replaces the index with {@code entries} unless another process is writing it right now.
   * Best-effort: the index is a cache, so a failure only costs the next reader the files.
   */
  @SuppressWarnings("try") // the lock is held for the body, never used in it
  void write(List<Entry> entries) {
    try (StoreLock.Held held = StoreLock.acquire(lock, Duration.ZERO)) {
      Files2.writeAtomically(file, format(entries));
    } catch (StoreException | IOException | RuntimeException e) {
      // Locked by another writer, or the disk is full: the files still answer.
    }
  }

  /** Parses an index, keeping the entries whose files are strictly older than {@code writtenNanos}. */
  static Map<ModelName, Entry> parse(byte[] bytes, long writtenNanos) throws IOException {
    if (bytes.length < MAGIC.length + 8 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("not an installed index of this version");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes).getInt(bytes.length - 4)) {
      throw new IOException("checksum mismatch");
    }
    ByteArrayInputStream body = new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - 4 - MAGIC.length);
    DataInputStream in = new DataInputStream(body);
    int count = in.readInt();
    if (count < 0 || count > bytes.length / 64) {
      throw new IOException("bad entry count");
    }
    Map<ModelName, Entry> out = HashMap.newHashMap(count);
    for (int i = 0; i < count; i++) {
      Entry e = readEntry(in);
      if (out.put(e.ref().name(), e) != null) {
        throw new IOException("a model is listed twice");
      }
      if (e.refStamp().mtimeNanos() >= writtenNanos || e.manifestStamp().mtimeNanos() >= writtenNanos) {
        out.remove(e.ref().name()); // racily clean: read the files again, never trust
      }
    }
    if (body.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return out;
  }

  static byte[] format(List<Entry> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + entries.size() * 600);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(entries.size());
      for (Entry e : entries) {
        writeEntry(out, e);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e); // in memory
    }
    byte[] body = bytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  private static void writeEntry(DataOutputStream out, Entry e) throws IOException {
    Refs.Ref r = e.ref();
    out.writeUTF(r.name().value());
    out.writeUTF(r.version().text());
    out.writeUTF(r.manifestSha256().hex());
    out.writeUTF(r.origin());
    out.writeLong(r.installedAt().getEpochSecond());
    out.writeInt(r.installedAt().getNano());
    writeStamp(out, e.refStamp());
    writeStamp(out, e.manifestStamp());
    Manifest m = e.manifest();
    out.writeUTF(m.name().value());
    out.writeUTF(m.version().text());
    out.writeUTF(m.description());
    out.writeInt(m.tasks().size());
    for (TaskSpec t : m.tasks()) {
      out.writeUTF(t.task().id());
      out.writeInt(t.languages().size());
      for (Language l : t.languages()) {
        out.writeUTF(l.code());
      }
      out.writeBoolean(t.target().isPresent());
      if (t.target().isPresent()) {
        out.writeUTF(t.target().get().code());
      }
    }
    out.writeUTF(m.engine().id());
    out.writeUTF(m.engine().versions().text());
    out.writeUTF(m.license().spdx());
    out.writeUTF(m.license().url().toString());
    out.writeUTF(m.license().attribution());
    out.writeInt(m.files().size());
    for (ModelFile f : m.files()) {
      out.writeUTF(f.path().value());
      out.writeLong(f.size());
      out.writeUTF(f.sha256().hex());
      out.writeInt(f.sources().size());
      for (SourceUri s : f.sources()) {
        out.writeUTF(s.uri().toString());
      }
    }
    out.writeBoolean(m.demo());
    out.writeInt(m.annotations().size());
    for (Map.Entry<String, String> a : m.annotations().entrySet()) {
      out.writeUTF(a.getKey());
      out.writeUTF(a.getValue());
    }
  }

  /** Reads an entry back through the records' own checks: a value they refuse makes the index damaged. */
  private static Entry readEntry(DataInputStream in) throws IOException {
    try {
      Refs.Ref ref = new Refs.Ref(ModelName.parse(in.readUTF()), Version.parse(in.readUTF()), Digest.ofHex(in.readUTF()),
          in.readUTF(), Instant.ofEpochSecond(in.readLong(), in.readInt()));
      FileStamp refStamp = readStamp(in);
      FileStamp manifestStamp = readStamp(in);
      ModelName name = ModelName.parse(in.readUTF());
      Version version = Version.parse(in.readUTF());
      String description = in.readUTF();
      List<TaskSpec> tasks = new ArrayList<>();
      for (int i = count(in, 16); i > 0; i--) {
        Task task = Task.parse(in.readUTF());
        List<Language> languages = new ArrayList<>();
        for (int k = count(in, 128); k > 0; k--) {
          languages.add(Language.parse(in.readUTF()));
        }
        Optional<Language> target = in.readBoolean() ? Optional.of(Language.parse(in.readUTF())) : Optional.empty();
        tasks.add(new TaskSpec(task, languages, target));
      }
      EngineRequirement engine = new EngineRequirement(in.readUTF(), VersionRange.parse(in.readUTF()));
      License license = new License(in.readUTF(), new URI(in.readUTF()), in.readUTF());
      List<ModelFile> files = new ArrayList<>();
      for (int i = count(in, Manifest.MAX_FILES); i > 0; i--) {
        RelativePath path = RelativePath.parse(in.readUTF());
        long size = in.readLong();
        Digest sha = Digest.ofHex(in.readUTF());
        List<SourceUri> sources = new ArrayList<>();
        for (int k = count(in, ModelFile.MAX_SOURCES); k > 0; k--) {
          sources.add(SourceUri.parse(in.readUTF()));
        }
        files.add(new ModelFile(path, size, sha, sources));
      }
      boolean demo = in.readBoolean();
      Map<String, String> annotations = new LinkedHashMap<>();
      for (int i = count(in, 64); i > 0; i--) {
        annotations.put(in.readUTF(), in.readUTF());
      }
      Manifest m = new Manifest(name, version, description, tasks, engine, license, files, demo, annotations);
      if (!m.name().equals(ref.name()) || !m.version().equals(ref.version())) {
        throw new IOException("an entry's manifest is not its ref's model");
      }
      return new Entry(ref, refStamp, m, manifestStamp);
    } catch (IllegalArgumentException | java.net.URISyntaxException | java.time.DateTimeException e) {
      throw new IOException("a value the manifest records refuse: " + e.getMessage(), e);
    }
  }

  private static int count(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new IOException("bad count " + n);
    }
    return n;
  }

  private static void writeStamp(DataOutputStream out, FileStamp s) throws IOException {
    out.writeLong(s.size());
    out.writeLong(s.mtimeNanos());
    out.writeBoolean(s.ctimeNanos().isPresent());
    out.writeLong(s.ctimeNanos().orElse(0));
    out.writeUTF(s.fileKey());
  }

  private static FileStamp readStamp(DataInputStream in) throws IOException {
    long size = in.readLong();
    long mtime = in.readLong();
    boolean hasCtime = in.readBoolean();
    long ctime = in.readLong();
    String key = in.readUTF();
    if (size < 0) {
      throw new IOException("bad size");
    }
    return new FileStamp(size, mtime, hasCtime ? OptionalLong.of(ctime) : OptionalLong.empty(), key, true);
  }

  static FileStamp stampOf(Path p) {
    try {
      return FileStamp.of(p);
    } catch (IOException e) {
      return FileStamp.MISSING;
    }
  }
}
