package soko.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import soko.manifest.ChunkDigests;
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
 * <p>Format (big-endian): {@code "SOKOIIX2"} (version 1 lacked chunk digests and is ignored), int entry count, the entries (strings as an int
 * length and UTF-8 bytes, digests as 32 bytes; an entry's manifest has its ref's name and version),
 * then the CRC-32C of everything before it. Thread-safe.
 */
final class InstalledIndex {
  private static final byte[] MAGIC = "SOKOIIX2".getBytes(StandardCharsets.US_ASCII);
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
      byte[] bytes = format(entries);
      // An entry must decode to exactly the manifest it was made from; one that does not (a field
      // this format does not carry) is left out, so its model is read from its files instead.
      Map<ModelName, Entry> back = parse(bytes, Long.MAX_VALUE);
      List<Entry> faithful = entries.stream().filter(e -> {
        Entry b = back.get(e.ref().name());
        return b != null && b.manifest().equals(e.manifest()) && b.ref().equals(e.ref());
      }).toList();
      if (faithful.size() != entries.size()) {
        bytes = format(faithful);
      }
      Files2.writeAtomically(file, bytes);
    } catch (StoreException | IOException | RuntimeException e) {
      // Locked by another writer, or the disk is full: the files still answer.
    }
  }

  /** Parses an index, keeping the entries whose files are strictly older than {@code writtenNanos}. */
  static Map<ModelName, Entry> parse(byte[] bytes, long writtenNanos) throws IOException {
    In in;
    try {
      in = new In(VerifiedIndex.opened(bytes, MAGIC, "an installed index"));
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    try {
      int count = in.count(bytes.length / 64);
      Map<ModelName, Entry> out = HashMap.newHashMap(count);
      for (int i = 0; i < count; i++) {
        Entry e = in.entry();
        if (out.put(e.ref().name(), e) != null) {
          throw new IOException("a model is listed twice");
        }
        if (e.refStamp().mtimeNanos() >= writtenNanos || e.manifestStamp().mtimeNanos() >= writtenNanos) {
          out.remove(e.ref().name()); // racily clean: read the files again, never trust
        }
      }
      if (in.b.hasRemaining()) {
        throw new IOException("trailing bytes");
      }
      return out;
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IOException("truncated", e);
    }
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
    return VerifiedIndex.sealed(bytes.toByteArray());
  }

  /** A string as an int length and its UTF-8 bytes (decoded by the JDK's bulk decoder, not char by char). */
  private static void str(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void digest(DataOutputStream out, Digest d) throws IOException {
    out.write(java.util.HexFormat.of().parseHex(d.hex()));
  }

  private static void writeEntry(DataOutputStream out, Entry e) throws IOException {
    Refs.Ref r = e.ref();
    str(out, r.name().value());
    str(out, r.version().text());
    digest(out, r.manifestSha256());
    str(out, r.origin());
    out.writeLong(r.installedAt().getEpochSecond());
    out.writeInt(r.installedAt().getNano());
    writeStamp(out, e.refStamp());
    writeStamp(out, e.manifestStamp());
    Manifest m = e.manifest();
    str(out, m.description());
    out.writeInt(m.tasks().size());
    for (TaskSpec t : m.tasks()) {
      str(out, t.task().id());
      out.writeInt(t.languages().size());
      for (Language l : t.languages()) {
        str(out, l.code());
      }
      out.writeBoolean(t.target().isPresent());
      if (t.target().isPresent()) {
        str(out, t.target().get().code());
      }
    }
    str(out, m.engine().id());
    str(out, m.engine().versions().text());
    str(out, m.license().spdx());
    str(out, m.license().url().toString());
    str(out, m.license().attribution());
    out.writeInt(m.files().size());
    for (ModelFile f : m.files()) {
      str(out, f.path().value());
      out.writeLong(f.size());
      digest(out, f.sha256());
      out.writeInt(f.sources().size());
      for (SourceUri s : f.sources()) {
        str(out, s.uri().toString());
      }
      out.writeBoolean(f.chunks().isPresent());
      if (f.chunks().isPresent()) {
        out.writeLong(f.chunks().get().chunkSize());
        out.writeInt(f.chunks().get().sha256().size());
        for (Digest d : f.chunks().get().sha256()) {
          digest(out, d);
        }
      }
    }
    out.writeBoolean(m.demo());
    out.writeInt(m.annotations().size());
    for (Map.Entry<String, String> a : m.annotations().entrySet()) {
      str(out, a.getKey());
      str(out, a.getValue());
    }
  }

  private static void writeStamp(DataOutputStream out, FileStamp s) throws IOException {
    out.writeLong(s.size());
    out.writeLong(s.mtimeNanos());
    out.writeBoolean(s.ctimeNanos().isPresent());
    out.writeLong(s.ctimeNanos().orElse(0));
    str(out, s.fileKey());
  }

  /**
   * Reads entries back through the records' own checks: a value they refuse makes the index
   * damaged. Values that repeat across models (licences, engines, task lists, file paths) are
   * made once per read.
   */
  private static final class In {
    final ByteBuffer b;
    final Map<String, Object> made = new HashMap<>();

    In(ByteBuffer b) {
      this.b = b;
    }

    int count(int max) throws IOException {
      int n = b.getInt();
      if (n < 0 || n > max) {
        throw new IOException("bad count " + n);
      }
      return n;
    }

    String str() throws IOException {
      int n = count(b.remaining());
      String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
      b.position(b.position() + n);
      return s;
    }

    Digest digest() {
      byte[] d = new byte[32];
      b.get(d);
      return Digest.of(d);
    }

    @SuppressWarnings("unchecked")
    <T> T once(String kind, String key, java.util.function.Function<String, T> make) {
      return (T) made.computeIfAbsent(kind + '\0' + key, k -> make.apply(key));
    }

    FileStamp stamp() throws IOException {
      long size = b.getLong();
      long mtime = b.getLong();
      boolean hasCtime = b.get() != 0;
      long ctime = b.getLong();
      String key = str();
      if (size < 0) {
        throw new IOException("bad size");
      }
      return new FileStamp(size, mtime, hasCtime ? OptionalLong.of(ctime) : OptionalLong.empty(), key, true);
    }

    Entry entry() throws IOException {
      try {
        ModelName name = ModelName.parse(str());
        Version version = once("version", str(), Version::parse);
        Refs.Ref ref = new Refs.Ref(name, version, digest(), str(), Instant.ofEpochSecond(b.getLong(), b.getInt()));
        FileStamp refStamp = stamp();
        FileStamp manifestStamp = stamp();
        String description = str();
        List<TaskSpec> tasks = new ArrayList<>();
        StringBuilder taskKey = new StringBuilder();
        for (int i = count(16); i > 0; i--) {
          Task task = Task.parse(str());
          List<Language> languages = new ArrayList<>();
          for (int k = count(128); k > 0; k--) {
            languages.add(once("language", str(), Language::parse));
          }
          Optional<Language> target = b.get() != 0 ? Optional.of(once("language", str(), Language::parse))
              : Optional.empty();
          tasks.add(new TaskSpec(task, languages, target));
          taskKey.append(task.id()).append(languages).append(target).append(';');
        }
        List<TaskSpec> sharedTasks = once("tasks", taskKey.toString(), k -> List.copyOf(tasks));
        String engineId = str();
        String range = str();
        EngineRequirement engine = once("engine", engineId + '\0' + range,
            k -> new EngineRequirement(engineId, VersionRange.parse(range)));
        String spdx = str();
        String url = str();
        String attribution = str();
        License license = once("license", spdx + '\0' + url + '\0' + attribution,
            k -> new License(spdx, URI.create(url), attribution));
        List<ModelFile> files = new ArrayList<>();
        for (int i = count(Manifest.MAX_FILES); i > 0; i--) {
          RelativePath path = once("path", str(), RelativePath::parse);
          long size = b.getLong();
          Digest sha = digest();
          List<SourceUri> sources = new ArrayList<>();
          for (int k = count(ModelFile.MAX_SOURCES); k > 0; k--) {
            sources.add(SourceUri.parse(str()));
          }
          Optional<ChunkDigests> chunks = Optional.empty();
          if (b.get() != 0) {
            long chunkSize = b.getLong();
            List<Digest> digests = new ArrayList<>();
            for (int k = count(ChunkDigests.MAX_COUNT); k > 0; k--) {
              digests.add(digest());
            }
            chunks = Optional.of(new ChunkDigests(chunkSize, digests));
          }
          files.add(new ModelFile(path, size, sha, sources, chunks));
        }
        boolean demo = b.get() != 0;
        Map<String, String> annotations = new LinkedHashMap<>();
        for (int i = count(64); i > 0; i--) {
          annotations.put(str(), str());
        }
        Manifest m = new Manifest(name, version, description, sharedTasks, engine, license, files, demo, annotations);
        return new Entry(ref, refStamp, m, manifestStamp);
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        throw new IOException("a value the manifest records refuse: " + e.getMessage(), e);
      }
    }
  }

  static FileStamp stampOf(Path p) {
    try {
      return FileStamp.of(p);
    } catch (IOException e) {
      return FileStamp.MISSING;
    }
  }
}
