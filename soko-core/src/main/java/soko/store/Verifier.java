package soko.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.model.VerifiedModel;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Checks installed files against their manifest: a {@code stat} and the verification record for an
 * unchanged file, a full re-hash otherwise, and the verified handle engines receive. Recording a
 * result is best-effort: a check that cannot write its record (a full disk, a read-only folder)
 * still stands, and carries a warning instead. Thread-safe.
 */
final class Verifier {
  /** Hashes one file; a seam so that a test can change a file at an exact point of a check. */
  interface Hasher {
    Hashing.Measured sha256(Path file) throws IOException;
  }

  private final Layout layout;
  private final Clock clock;
  private final VerificationRecords records;
  private final Hasher hasher;

  Verifier(Layout layout, Clock clock, VerificationRecords records, Hasher hasher) {
    this.layout = layout;
    this.clock = clock;
    this.records = records;
    this.hasher = hasher;
  }

  /** See {@link Store#absentFiles}. */
  List<ModelFile> absentFiles(Manifest manifest) throws StoreException {
    List<ModelFile> out = new ArrayList<>();
    for (ModelFile f : manifest.files()) {
      FileState state = checkFile(f, VerifyMode.STAT_ONLY).state();
      if (state == FileState.MISSING || state == FileState.CORRUPT) {
        out.add(f);
      }
    }
    return out;
  }

  /** The files whose blobs are absent, or present but not proven good by a cached check. */
  List<ModelFile> notVerified(Manifest manifest) throws StoreException {
    List<ModelFile> out = new ArrayList<>();
    for (ModelFile f : manifest.files()) {
      if (checkFile(f, VerifyMode.CACHED).state() != FileState.VERIFIED) {
        out.add(f);
      }
    }
    return out;
  }

  /** See {@link Store#check(List, VerifyMode)}. */
  List<ModelCheck> check(List<InstalledModel> models, VerifyMode mode) throws StoreException {
    records.reloadIndexIfChanged();
    try {
      return checkIndexed(models, mode);
    } finally {
      records.refreshIndex();
    }
  }

  private List<ModelCheck> checkIndexed(List<InstalledModel> models, VerifyMode mode) throws StoreException {
    List<FileCheck[]> results = new ArrayList<>();
    List<ModelFile> toHash = new ArrayList<>();
    List<int[]> slots = new ArrayList<>();
    List<ModelFile> all = new ArrayList<>();
    models.forEach(m -> all.addAll(m.manifest().files()));
    List<FileCheck> stats = ParallelReads.map(all, ParallelReads.SMALL_READS_PER_THREAD, "checking",
        f -> checkFile(f, VerifyMode.STAT_ONLY));
    int k0 = 0;
    for (int m = 0; m < models.size(); m++) {
      List<ModelFile> files = models.get(m).manifest().files();
      FileCheck[] r = new FileCheck[files.size()];
      results.add(r);
      for (int i = 0; i < r.length; i++) {
        FileCheck stat = stats.get(k0++);
        boolean hash = mode == VerifyMode.FULL || mode == VerifyMode.WHOLE ? stat.state() != FileState.MISSING
            : mode == VerifyMode.CACHED && stat.state() == FileState.UNVERIFIED;
        if (hash) {
          toHash.add(files.get(i));
          slots.add(new int[] {m, i});
        } else {
          r[i] = stat;
        }
      }
    }
    // One task per file: hashing is CPU-bound at about 1 GB/s per core, and files differ in size.
    VerifyMode hashing = mode == VerifyMode.WHOLE ? VerifyMode.WHOLE : VerifyMode.FULL;
    List<FileCheck> hashed = ParallelReads.map(toHash, 1, "verifying", f -> checkFile(f, hashing));
    for (int k = 0; k < hashed.size(); k++) {
      results.get(slots.get(k)[0])[slots.get(k)[1]] = hashed.get(k);
    }
    List<ModelCheck> out = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      out.add(new ModelCheck(models.get(m), List.of(results.get(m))));
    }
    return out;
  }

  /** See {@link Store#verified}. */
  VerifiedModel verified(InstalledModel installed, VerifyMode mode) throws StoreException {
    if (mode == VerifyMode.STAT_ONLY) {
      throw new IllegalArgumentException("STAT_ONLY cannot prove a model good; use CACHED or FULL");
    }
    // Stamps taken before and after the check, and equal: they describe the bytes the check
    // verified, so that the handle can later tell whether a file changed (changedSinceVerified).
    Map<String, FileStamp> before = stamps(installed);
    ModelCheck check = check(List.of(installed), mode).getFirst();
    if (check.state() != FileState.VERIFIED) {
      throw new ModelIntegrityException(check.model().manifest().id(), check.problems());
    }
    Map<String, FileStamp> after = stamps(installed);
    if (!sameStamps(before, after)) {
      throw new ModelIntegrityException(installed.manifest().id(), List.of("a file changed while it was being verified"));
    }
    Map<String, Path> files = new LinkedHashMap<>();
    Instant oldest = check.verifiedAt().orElse(clock.instant());
    for (FileCheck f : check.files()) {
      files.put(f.file().path().value(), f.blob());
    }
    return new VerifiedModel(check.model().manifest(), files, oldest, () -> {
      List<String> changed = new ArrayList<>();
      for (FileCheck f : check.files()) {
        try {
          if (!FileStamp.of(f.blob()).sameAs(after.get(f.file().path().value()))) {
            changed.add(f.file().path().value());
          }
        } catch (IOException e) {
          changed.add(f.file().path().value());
        }
      }
      return changed;
    });
  }

  private Map<String, FileStamp> stamps(InstalledModel model) throws StoreIOException {
    Map<String, FileStamp> out = new LinkedHashMap<>();
    for (ModelFile f : model.manifest().files()) {
      Path blob = layout.blob(f.sha256());
      try {
        out.put(f.path().value(), FileStamp.of(blob));
      } catch (NoSuchFileException e) {
        out.put(f.path().value(), FileStamp.MISSING);
      } catch (IOException e) {
        throw new StoreIOException("cannot read the attributes of " + blob, e);
      }
    }
    return out;
  }

  /** Equal stamps of files that are there (a file missing before or after is never "the same"). */
  private static boolean sameStamps(Map<String, FileStamp> a, Map<String, FileStamp> b) {
    for (Map.Entry<String, FileStamp> e : a.entrySet()) {
      if (e.getValue() == FileStamp.MISSING || !e.getValue().sameAs(b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  FileCheck checkFile(ModelFile f, VerifyMode mode) throws StoreException {
    Path blob = layout.blob(f.sha256());
    FileStamp stamp;
    try {
      stamp = FileStamp.of(blob);
    } catch (NoSuchFileException e) {
      return missing(f, blob);
    } catch (IOException e) {
      throw new StoreIOException("cannot stat " + blob, e);
    }
    if (!stamp.regularFile()) {
      // A link is never followed, not even to hash what it points to.
      return new FileCheck(f, blob, FileState.CORRUPT, Optional.empty(),
          Optional.of(f.path() + " is not a regular file in the store (" + blob + ")"), false);
    }
    Optional<VerificationRecord> rec = records.forStamp(f.sha256(), stamp);
    boolean fresh = rec.isPresent() && rec.get().sha256().equals(f.sha256()) && rec.get().matches(stamp);
    if (mode == VerifyMode.STAT_ONLY || (mode == VerifyMode.CACHED && fresh)) {
      if (fresh && rec.get().ok()) {
        return new FileCheck(f, blob, FileState.VERIFIED, Optional.of(rec.get().verifiedAt()), Optional.empty(), false);
      }
      if (fresh) {
        return new FileCheck(f, blob, FileState.CORRUPT, Optional.of(rec.get().verifiedAt()),
            Optional.of(rec.get().problem().isEmpty() ? f.path() + " failed its last verification" : rec.get().problem()),
            false);
      }
      return new FileCheck(f, blob, FileState.UNVERIFIED, Optional.empty(), Optional.empty(), false);
    }
    Hashed h;
    FileStamp after;
    try {
      Optional<Chunks> known = stamp.size() != f.size() ? Optional.empty()
          : records.read(f.sha256()).filter(r -> r.sha256().equals(f.sha256()))
              .flatMap(VerificationRecord::chunks).flatMap(c -> c.fitting(f.size()));
      if (mode == VerifyMode.WHOLE) {
        // One stream against the manifest; the chunk list, still right when the file matches, is kept.
        h = whole(f, blob, stamp.size(), false);
        h = h.problem().isEmpty() ? new Hashed("", known) : h;
      } else {
        h = known.isPresent() ? byChunks(f, blob, known.get()) : whole(f, blob, stamp.size(), true);
      }
      after = FileStamp.of(blob);
    } catch (NoSuchFileException e) {
      return missing(f, blob); // removed after its stat: by `soko rm` or gc in another process
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + blob, e);
    } catch (StoreIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return missing(f, blob);
      }
      throw e;
    }
    if (!after.sameAs(stamp)) {
      // Changed while it was being read: the digest proves nothing about the file as it is now.
      // Record nothing, so the next check hashes it again, and refuse it for this use.
      return new FileCheck(f, blob, FileState.CORRUPT, Optional.empty(),
          Optional.of(f.path() + " changed while it was being verified; run `soko verify` again"), true);
    }
    boolean ok = h.problem().isEmpty();
    Instant now = clock.instant();
    String problem = h.problem();
    Optional<String> warning = Optional.empty();
    try {
      records.write(f.sha256(), new VerificationRecord(f.sha256(), stamp, now, ok, problem, h.chunks()));
    } catch (IOException e) {
      // The hash stands; only the shortcut for the next check is lost.
      warning = Optional.of("cannot record the verification of " + f.path() + " (" + StoreIOException.describe(e)
          + "); the result stands, and the next check hashes the file again");
    }
    if (ok) {
      return new FileCheck(f, blob, FileState.VERIFIED, Optional.of(now), Optional.empty(), true, warning);
    }
    return new FileCheck(f, blob, FileState.CORRUPT, Optional.of(now), Optional.of(problem), true, warning);
  }

  private static FileCheck missing(ModelFile f, Path blob) {
    return new FileCheck(f, blob, FileState.MISSING, Optional.empty(),
        Optional.of(f.path() + " is missing from the store (" + blob + ")"), false);
  }

  /** See {@link Store#chunkRepair}. */
  Optional<Store.ChunkRepair> chunkRepair(ModelFile f) throws StoreException {
    Path blob = layout.blob(f.sha256());
    try {
      FileStamp stamp = FileStamp.of(blob);
      if (!stamp.regularFile() || stamp.size() != f.size()) {
        return Optional.empty();
      }
      Optional<Chunks> known = records.read(f.sha256()).filter(r -> r.sha256().equals(f.sha256()))
          .flatMap(VerificationRecord::chunks).flatMap(c -> c.fitting(f.size()))
          .or(() -> f.chunks().map(c -> new Chunks(c.chunkSize(), c.sha256()))); // the publisher's, signed with the catalog
      if (known.isEmpty()) {
        return Optional.empty();
      }
      List<Integer> units = new ArrayList<>();
      for (int i = 0; i < known.get().sha256().size(); i++) {
        units.add(i);
      }
      List<Digest> got = rangeHashes(blob, units, known.get().chunkSize(), f.size(), () -> { });
      List<Integer> bad = new ArrayList<>();
      for (int i = 0; i < got.size(); i++) {
        if (!got.get(i).equals(known.get().sha256().get(i))) {
          bad.add(i);
        }
      }
      return bad.isEmpty() ? Optional.empty() : Optional.of(new Store.ChunkRepair(blob, known.get().chunkSize(), bad));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + blob, e);
    }
  }

  /** A file's hash result: empty problem when it matches; the chunk list to record. */
  private record Hashed(String problem, Optional<Chunks> chunks) {}

  /**
   * The whole file's sha256 (through the test seam) and, for a file large enough, the sha256 of
   * each chunk, on the other cores at the same time: the chunks are kept only when the whole file
   * matches the manifest, since that is what makes them worth trusting.
   */
  private Hashed whole(ModelFile f, Path blob, long size, boolean withChunks) throws IOException, StoreException {
    boolean chunked = withChunks && Chunks.worthIt(size) && size == f.size();
    int count = chunked ? Chunks.count(size, Chunks.SIZE) : 0;
    List<Integer> units = new ArrayList<>();
    for (int i = -1; i < count; i++) {
      units.add(i); // -1: the whole file, first, since it takes longest
    }
    Hashing.Measured[] whole = new Hashing.Measured[1];
    List<Digest> parts = rangeHashes(blob, units, Chunks.SIZE, size, () -> {
      whole[0] = hasher.sha256(blob);
    });
    Hashing.Measured m = whole[0];
    boolean ok = m.size() == f.size() && m.digest().equals(f.sha256());
    if (!ok) {
      return new Hashed(f.path() + ": " + (m.size() != f.size()
          ? "size " + m.size() + " bytes, expected " + f.size()
          : "sha256 " + m.digest().hex() + ", expected " + f.sha256().hex()), Optional.empty());
    }
    return new Hashed("", chunked ? Optional.of(new Chunks(Chunks.SIZE, parts)) : Optional.empty());
  }

  /** Every chunk against the list recorded when the file was proven good, on all cores. */
  private Hashed byChunks(ModelFile f, Path blob, Chunks known) throws IOException, StoreException {
    List<Integer> units = new ArrayList<>();
    for (int i = 0; i < known.sha256().size(); i++) {
      units.add(i);
    }
    List<Digest> got = rangeHashes(blob, units, known.chunkSize(), f.size(), () -> { });
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < got.size(); i++) {
      if (!got.get(i).equals(known.sha256().get(i))) {
        bad.add(i);
      }
    }
    if (bad.isEmpty()) {
      return new Hashed("", Optional.of(known));
    }
    return new Hashed(f.path() + ": " + bad.size() + " of " + got.size() + " chunks of " + known.chunkSize() / (1024 * 1024)
        + " MiB do not match (" + describeChunks(bad) + "), so its sha256 is no longer "
        + f.sha256().hex(), Optional.of(known));
  }

  private static String describeChunks(List<Integer> bad) {
    StringBuilder b = new StringBuilder(bad.size() == 1 ? "chunk " : "chunks ");
    for (int i = 0; i < Math.min(bad.size(), 8); i++) {
      b.append(i == 0 ? "" : ", ").append(bad.get(i));
    }
    return b.append(bad.size() > 8 ? ", …" : "").toString();
  }

  interface WholeHash {
    void run() throws IOException;
  }

  /**
   * Hashes units on up to one thread per core: unit -1 runs {@code whole}, unit i the range of
   * chunk i. Returns the chunks' digests in order.
   */
  private static List<Digest> rangeHashes(Path blob, List<Integer> units, long chunkSize, long size, WholeHash whole)
      throws IOException, StoreException {
    if (units.size() == 1 && units.getFirst() == -1) {
      whole.run();
      return List.of();
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(blob, java.nio.file.StandardOpenOption.READ,
        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      List<Optional<Digest>> out = ParallelReads.map(units, 1, "verifying", i -> {
        try {
          if (i < 0) {
            whole.run();
            return Optional.empty();
          }
          long at = i * chunkSize;
          return Optional.of(Hashing.sha256Range(ch, at, Math.min(chunkSize, size - at)));
        } catch (IOException e) {
          throw new StoreIOException("cannot read " + blob, e);
        }
      });
      return out.stream().flatMap(Optional::stream).toList();
    }
  }
}
