package soko.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.Version;
import soko.model.VerifiedModel;
import soko.verification.Digest;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/**
 * The model store: content-addressed blobs, installed manifests and refs, verification records,
 * cache controls. Several processes may share one store.
 *
 * <ul>
 *   <li>Blobs are written to a unique temp file, hashed while written, fsynced, made read-only and
 *       published without replacing: the first writer wins and no lock is needed.
 *   <li>Manifests and refs are written atomically under a short cross-process lock.
 *   <li>A model is installed only once its ref is written, after all its blobs are published, so a
 *       crash at any point never leaves a model that {@link #installed()} reports.
 *   <li>Deletion happens only inside the data and cache roots and never follows a link.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class Store implements StoreView {
  /** How long refs and gc wait for another process. */
  public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STALE_PENDING = Duration.ofHours(24);

  private final Layout layout;
  private final Clock clock;

  /**
   * Manifests already parsed by this store, by the sha256 of their bytes: listing and storage use
   * read the same manifests, and strict parsing costs far more than reading and hashing them.
   * Keyed by content, so a changed file is parsed again; bounded for long-running processes.
   */
  private final Map<Digest, Manifest> parsedManifests = new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_PARSED_MANIFESTS = 4096;

  private Store(Layout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  /**
   * Opens the store at the given roots, creating it if absent.
   *
   * @throws StoreConfigException when the roots overlap, or the store has a newer layout
   */
  public static Store open(StoreRoots roots, Clock clock) throws StoreException {
    roots.validated();
    Layout layout = new Layout(roots);
    try {
      Files.createDirectories(roots.data());
      readOrCreateMarker(layout);
      for (Path p : List.of(layout.blobs(), layout.manifests(), layout.refs(), layout.records(), layout.pending(),
          layout.dataTmp(), layout.locks(), roots.cache(), layout.downloads(), layout.cacheTmp())) {
        Files.createDirectories(p);
      }
      if (!Files.exists(layout.cacheTag())) {
        Files2.writeAtomically(layout.cacheTag(), ("Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# This file is a cache directory tag created by Soko.\n"
            + "# Everything here can be re-created; `soko cache clear` empties it.\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new StoreIOException("cannot create the store in " + roots.data() + " and " + roots.cache(), e);
    }
    return new Store(layout, clock);
  }

  private static void readOrCreateMarker(Layout layout) throws IOException, StoreConfigException {
    Path marker = layout.marker();
    if (Files.exists(marker)) {
      byte[] bytes = Files.readAllBytes(marker);
      long version;
      try {
        Node n = Json.parse(bytes, 64 * 1024, "store marker");
        version = n.get("layout").integer(1, Integer.MAX_VALUE);
      } catch (JsonProblem p) {
        throw new StoreConfigException(marker + " is damaged (" + p.getMessage()
            + "); it marks a Soko store: restore it or move the folder away", p);
      }
      if (version > Layout.LAYOUT_VERSION) {
        throw new StoreConfigException("the store in " + layout.roots().data() + " has layout " + version
            + ", newer than this Soko understands (" + Layout.LAYOUT_VERSION + "): upgrade Soko, or use another --home");
      }
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.roots().data())) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!Set.of("blobs", "manifests", "refs", "state", "tmp", "locks", "quarantine").contains(n)
            && !n.startsWith("." + Layout.MARKER)) {
          throw new StoreConfigException("the data root " + layout.roots().data() + " already holds other files (such as "
              + n + ") and no Soko store marker: give Soko an empty or new folder");
        }
      }
    }
    ObjectNode o = Json.object();
    o.put("layout", Layout.LAYOUT_VERSION);
    o.put("storeId", UUID.randomUUID().toString());
    Files2.writeAtomically(marker, Json.write(o));
  }

  @Override
  public StoreRoots roots() {
    return layout.roots();
  }

  /** Where resumable partial downloads live (inside the cache root). */
  public Path downloadsDir() {
    return layout.downloads();
  }

  /** A scratch folder inside the cache root, for engines and other derived data. */
  public Path cacheScratch() {
    return layout.cacheTmp();
  }

  /** A held lock; closing releases it. Never throws. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** How long {@link #lockDownload} waits for another download of the same file: as long as it takes. */
  private static final Duration DOWNLOAD_LOCK_WAIT = Duration.ofDays(365);

  /**
   * Exclusive use of one file's download in {@link #downloadsDir()}, across threads and processes,
   * through the lock file {@code <sha256><suffix>} beside the partial. Waits for the holder.
   *
   * @param suffix such as {@code .oci-lock}
   */
  public Held lockDownload(Digest file, String suffix) throws StoreException {
    if (!suffix.matches("\\.[a-z][a-z-]{0,15}")) {
      throw new IllegalArgumentException("lock suffix " + suffix + " is not .[a-z-]+");
    }
    StoreLock.Held held = StoreLock.acquire(layout.downloads().resolve(file.hex() + suffix), DOWNLOAD_LOCK_WAIT);
    return held::close;
  }

  /** Where the last accepted remote catalog versions are kept (in the data root: clearing the cache must not reset them). */
  public Path catalogStateDir() {
    return layout.catalogState();
  }

  // ---------------------------------------------------------------- blobs

  public boolean hasBlob(Digest d) {
    return Files.isRegularFile(layout.blob(d), LinkOption.NOFOLLOW_LINKS);
  }

  /** Where a blob is or would be stored. */
  public Path blobPath(Digest d) {
    return layout.blob(d);
  }

  /**
   * Writes a file's bytes from a stream into the store, hashing them as they are written, and
   * publishes the blob only if size and sha256 match. Reads at most {@code file.size() + 1} bytes.
   * Does not close the stream.
   *
   * @param subject names the source in messages, e.g. "bundled:silero-vad/silero_vad_v6.onnx"
   */
  public void putBlob(ModelFile file, InputStream in, String subject) throws StoreException, IntegrityException {
    Path tmp = newDataTmp();
    try {
      MessageDigest md = Hashing.newSha256();
      long total = 0;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[256 * 1024];
        long limit = file.size() + 1;
        int n;
        while (total < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) >= 0) {
          md.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            ch.write(bb);
          }
          total += n;
        }
        ch.force(true);
      }
      Digest got = Digest.of(md.digest());
      if (total > file.size()) { // read stopped one byte past the size: the real size is unknown
        throw IntegrityException.longerThan(subject + " for " + file.path(), file.sha256(), file.size(),
            "the source is damaged or is not this model's file; try another source");
      }
      if (total != file.size() || !got.equals(file.sha256())) {
        throw new IntegrityException(subject + " for " + file.path(), file.sha256(), file.size(), got,
            total, "the source is damaged or is not this model's file; try another source");
      }
      publishTmp(tmp, file.sha256());
    } catch (IOException e) {
      throw new StoreIOException("cannot write " + file.path() + " into the store", e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Moves a complete, already verified file (such as a finished download) into the store. When
   * the file is on another file system it is copied and hashed again on the way.
   */
  public void publishVerified(ModelFile file, Path verified) throws StoreException, IntegrityException {
    Path tmp = newDataTmp();
    try {
      try {
        Files.move(verified, tmp, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      } catch (AtomicMoveNotSupportedException cross) {
        try (InputStream in = Files.newInputStream(verified)) {
          putBlob(file, in, verified.toString());
        }
        Files.deleteIfExists(verified);
        return;
      }
      if (Files.size(tmp) != file.size()) {
        throw new IntegrityException(verified.toString(), file.sha256(), file.size(), file.sha256(), Files.size(tmp),
            "the download was changed after it was verified; run the install again");
      }
      publishTmp(tmp, file.sha256());
    } catch (IOException e) {
      throw new StoreIOException("cannot move " + verified + " into the store", e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private Path newDataTmp() throws StoreIOException {
    try {
      Files.createDirectories(layout.dataTmp());
    } catch (IOException e) {
      throw new StoreIOException("cannot create " + layout.dataTmp(), e);
    }
    return layout.dataTmp().resolve("blob-" + UUID.randomUUID() + ".tmp");
  }

  /** Makes a verified temp file read-only and publishes it; records it as verified now. */
  private void publishTmp(Path tmp, Digest digest) throws IOException {
    makeReadOnly(tmp);
    Path target = layout.blob(digest);
    if (hasBlob(digest)) {
      Optional<VerificationRecord> rec = readRecord(digest);
      FileStamp now = FileStamp.of(target);
      if (rec.isPresent() && rec.get().ok() && rec.get().matches(now)) {
        return;
      }
      // Present but unverified or corrupt: check it, and quarantine it when it is bad.
      Hashing.Measured m = Hashing.sha256(target);
      if (m.digest().equals(digest) && FileStamp.of(target).sameAs(now)) {
        // The stamp taken before hashing, so a change during the hash can never be recorded as good.
        writeRecord(digest, VerificationRecord.good(digest, now, clock.instant()));
        return;
      }
      quarantine(target);
    }
    Files2.publishNoReplace(tmp, target);
    writeRecord(digest, VerificationRecord.good(digest, FileStamp.of(target), clock.instant()));
  }

  private static void makeReadOnly(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
    } catch (UnsupportedOperationException e) {
      p.toFile().setReadOnly();
    }
  }

  /** Moves a bad blob aside so a good copy can be published; gc removes quarantined files. */
  private void quarantine(Path blob) throws IOException {
    Path dir = layout.roots().data().resolve("quarantine");
    Files.createDirectories(dir);
    Files.move(blob, dir.resolve(blob.getFileName() + "." + clock.millis()), StandardCopyOption.ATOMIC_MOVE);
  }

  private Optional<VerificationRecord> readRecord(Digest d) {
    try {
      return Optional.of(VerificationRecord.parse(Files.readAllBytes(layout.record(d))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | JsonProblem e) {
      return Optional.empty(); // a damaged record only costs a re-hash
    }
  }

  private void writeRecord(Digest d, VerificationRecord r) throws IOException {
    Files2.writeAtomically(layout.record(d), r.toJson());
  }

  // ---------------------------------------------------------------- installs

  /**
   * Starts installing a model: pins its blobs so that a concurrent {@link #gc} keeps them. Publish
   * the blobs, then {@link Install#commit}. Closing without commit leaves nothing installed.
   */
  public Install beginInstall(Manifest manifest) throws StoreException {
    Path pin = layout.pending().resolve(UUID.randomUUID() + ".json");
    ObjectNode o = Json.object();
    o.put("model", manifest.id());
    o.put("pid", ProcessHandle.current().pid());
    ArrayNode a = o.putArray("blobs");
    manifest.files().forEach(f -> a.add(f.sha256().hex()));
    try {
      Files2.writeAtomically(pin, Json.write(o));
    } catch (IOException e) {
      throw new StoreIOException("cannot start installing " + manifest.id(), e);
    }
    return new Install(manifest, pin);
  }

  /** An install in progress. Not thread-safe; close exactly once. */
  public final class Install implements AutoCloseable {
    private final Manifest manifest;
    private final Path pin;

    private Install(Manifest manifest, Path pin) {
      this.manifest = manifest;
      this.pin = pin;
    }

    public Manifest manifest() {
      return manifest;
    }

    /** The files whose blobs are not in the store yet, or are there but not proven good by a cached check. */
    public List<ModelFile> missingFiles() throws StoreException {
      List<ModelFile> out = new ArrayList<>();
      for (ModelFile f : manifest.files()) {
        FileCheck c = checkFile(f, VerifyMode.CACHED);
        if (c.state() != FileState.VERIFIED) {
          out.add(f);
        }
      }
      return out;
    }

    /**
     * Records the model as installed. Every blob must be present and verified.
     *
     * @param origin where it came from, shown by {@code soko list}
     */
    public InstalledModel commit(String origin) throws StoreException {
      List<String> problems = new ArrayList<>();
      for (ModelFile f : manifest.files()) {
        FileCheck c = checkFile(f, VerifyMode.CACHED);
        if (c.state() != FileState.VERIFIED) {
          problems.add(c.problem().orElse(f.path() + " is " + c.state()));
        }
      }
      if (!problems.isEmpty()) {
        throw new ModelIntegrityException(manifest.id(), problems);
      }
      byte[] manifestBytes = ManifestCodec.write(manifest);
      Digest manifestSha = Hashing.sha256(manifestBytes);
      Path manifestFile = layout.manifest(manifest.name(), manifest.version(), manifestSha);
      Instant now = clock.instant();
      try (StoreLock.Held lock = StoreLock.acquire(layout.locks().resolve("refs.lock"), LOCK_TIMEOUT)) {
        Files2.writeAtomically(manifestFile, manifestBytes);
        Optional<Ref> previous = readRef(manifest.name());
        ObjectNode ref = Json.object();
        ref.put("name", manifest.name().value());
        ref.put("version", manifest.version().text());
        ref.put("manifestSha256", manifestSha.hex());
        ref.put("origin", origin);
        ref.put("installedAt", now.toString());
        Files2.writeAtomically(layout.ref(manifest.name()), Json.write(ref));
        // Only after the ref points at the new file: a crash before this line leaves the old, consistent pair.
        if (previous.isPresent()) {
          Path old = layout.manifest(manifest.name(), previous.get().version(), previous.get().manifestSha256());
          if (!old.equals(manifestFile)) {
            Files.deleteIfExists(old);
          }
        }
      } catch (IOException e) {
        throw new StoreIOException("cannot record " + manifest.id() + " as installed", e);
      }
      return new InstalledModel(manifest, manifestFile, now, origin);
    }

    @Override
    public void close() {
      deleteQuietly(pin);
    }
  }

  private record Ref(ModelName name, Version version, Digest manifestSha256, String origin, Instant installedAt) {}

  private Optional<Ref> readRef(ModelName name) throws StoreException {
    Path p = layout.ref(name);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + p, e);
    }
    try {
      Node n = Json.parse(bytes, 64 * 1024, "ref");
      n.object(Set.of("name", "version", "manifestSha256", "origin", "installedAt"));
      return Optional.of(new Ref(n.get("name").parse(ModelName::parse, "a model name"),
          n.get("version").parse(Version::parse, "a semver version"),
          n.get("manifestSha256").parse(Digest::ofHex, "64 hex digits"),
          n.get("origin").text(),
          n.get("installedAt").instant()));
    } catch (JsonProblem e) {
      throw new StoreConfigException(p + " is damaged (" + e.getMessage() + "): run `soko install " + name
          + "` to reinstall the model", e);
    }
  }

  /** Every installed model, by name. A damaged entry is reported as an error, not skipped silently. */
  @Override
  public List<InstalledModel> installed() throws StoreException {
    List<InstalledModel> out = new ArrayList<>();
    List<Path> refs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.refs(), "*.json")) {
      ds.forEach(refs::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreIOException("cannot list " + layout.refs(), e);
    }
    refs.sort(null);
    List<ModelName> names = new ArrayList<>();
    for (Path r : refs) {
      String file = r.getFileName().toString();
      try {
        names.add(ModelName.parse(file.substring(0, file.length() - ".json".length())));
      } catch (IllegalArgumentException e) {
        continue; // not one of ours (temp files start with '.')
      }
    }
    for (Optional<InstalledModel> m : inSlices(names, MIN_READS_PER_THREAD, "reading", this::installed)) {
      m.ifPresent(out::add);
    }
    return out;
  }

  /** The installed model of that name, if any. */
  public Optional<InstalledModel> installed(ModelName name) throws StoreException {
    Optional<Ref> ref = readRef(name);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    Path mf = layout.manifest(name, ref.get().version(), ref.get().manifestSha256());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(mf);
    } catch (NoSuchFileException e) {
      throw new ModelIntegrityException(name + "@" + ref.get().version(), List.of("its manifest " + mf + " is missing"));
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + mf, e);
    }
    if (!Hashing.sha256(bytes).equals(ref.get().manifestSha256())) {
      throw new ModelIntegrityException(name + "@" + ref.get().version(),
          List.of("its installed manifest " + mf + " was changed after install"));
    }
    try {
      Manifest m = parseManifest(bytes, ref.get().manifestSha256(), mf);
      return Optional.of(new InstalledModel(m, mf, ref.get().installedAt(), ref.get().origin()));
    } catch (ManifestException e) {
      throw new ModelIntegrityException(name + "@" + ref.get().version(), List.of(e.getMessage()));
    }
  }

  public InstalledModel require(ModelName name) throws StoreException {
    return installed(name).orElseThrow(() -> new ModelNotInstalledException(name.value()));
  }

  // ---------------------------------------------------------------- verification

  /**
   * The files of {@code manifest} the store lacks or holds corrupt, by stat and records only: for
   * planning a download without writing or hashing anything. (An install checks again, and
   * re-hashes a present file whose record is stale.)
   */
  public List<ModelFile> absentFiles(Manifest manifest) throws StoreException {
    List<ModelFile> out = new ArrayList<>();
    for (ModelFile f : manifest.files()) {
      FileState state = checkFile(f, VerifyMode.STAT_ONLY).state();
      if (state == FileState.MISSING || state == FileState.CORRUPT) {
        out.add(f);
      }
    }
    return out;
  }

  @Override
  public ModelCheck checkWithoutHashing(InstalledModel model) throws StoreException {
    return check(model, VerifyMode.STAT_ONLY);
  }

  @Override
  public List<ModelCheck> checkWithoutHashing(List<InstalledModel> models) throws StoreException {
    return check(models, VerifyMode.STAT_ONLY);
  }

  /**
   * Checks one installed model's files. Never throws for bad files: they come back as corrupt or
   * missing. Files that must be re-hashed are hashed in parallel, one thread per core at most.
   */
  public ModelCheck check(InstalledModel model, VerifyMode mode) throws StoreException {
    return check(List.of(model), mode).getFirst();
  }

  /**
   * Checks several models at once: first a {@code stat} of every file, then the files that must be
   * re-hashed ({@link VerifyMode#FULL}, or a changed file under {@link VerifyMode#CACHED}) on up to
   * one thread per core, so verifying several large files uses every core.
   */
  public List<ModelCheck> check(List<InstalledModel> models, VerifyMode mode) throws StoreException {
    List<FileCheck[]> results = new ArrayList<>();
    List<ModelFile> toHash = new ArrayList<>();
    List<int[]> slots = new ArrayList<>();
    List<ModelFile> all = new ArrayList<>();
    models.forEach(m -> all.addAll(m.manifest().files()));
    List<FileCheck> stats = inSlices(all, MIN_READS_PER_THREAD, "checking", f -> checkFile(f, VerifyMode.STAT_ONLY));
    int k0 = 0;
    for (int m = 0; m < models.size(); m++) {
      List<ModelFile> files = models.get(m).manifest().files();
      FileCheck[] r = new FileCheck[files.size()];
      results.add(r);
      for (int i = 0; i < r.length; i++) {
        ModelFile f = files.get(i);
        FileCheck stat = stats.get(k0++);
        boolean hash = mode == VerifyMode.FULL ? stat.state() != FileState.MISSING
            : mode == VerifyMode.CACHED && stat.state() == FileState.UNVERIFIED;
        if (hash) {
          toHash.add(f);
          slots.add(new int[] {m, i});
        } else {
          r[i] = stat;
        }
      }
    }
    List<FileCheck> hashed = hashAll(toHash);
    for (int k = 0; k < hashed.size(); k++) {
      results.get(slots.get(k)[0])[slots.get(k)[1]] = hashed.get(k);
    }
    List<ModelCheck> out = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      out.add(new ModelCheck(models.get(m), List.of(results.get(m))));
    }
    return out;
  }

  /** Below this many small reads (a ref and manifest, or a stat and record) per thread, one thread is faster. */
  private static final int MIN_READS_PER_THREAD = 64;

  /** Work on one item that may fail with a store error. */
  private interface Work<T, R> {
    R apply(T item) throws StoreException;
  }

  /**
   * Applies {@code work} to every item and returns the results in order: in contiguous slices on
   * up to one thread per core when there are at least {@code minPerThread} items per thread (a
   * store of a thousand models has ten thousand small files to read), else on this thread.
   */
  private static <T, R> List<R> inSlices(List<T> items, int minPerThread, String what, Work<T, R> work)
      throws StoreException {
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), items.size() / minPerThread);
    if (threads <= 1) {
      List<R> out = new ArrayList<>(items.size());
      for (T item : items) {
        out.add(work.apply(item));
      }
      return out;
    }
    List<Future<List<R>>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads,
        Thread.ofPlatform().name("soko-read-", 0).daemon().factory())) {
      for (int t = 0; t < threads; t++) {
        List<T> slice = items.subList(items.size() * t / threads, items.size() * (t + 1) / threads);
        futures.add(pool.submit(() -> {
          List<R> out = new ArrayList<>(slice.size());
          for (T item : slice) {
            out.add(work.apply(item));
          }
          return out;
        }));
      }
      List<R> out = new ArrayList<>(items.size());
      for (Future<List<R>> fu : futures) {
        try {
          out.addAll(fu.get());
        } catch (ExecutionException e) {
          futures.forEach(x -> x.cancel(true));
          if (e.getCause() instanceof StoreException se) {
            throw se;
          }
          throw new IllegalStateException(what + " " + items.size() + " store entries failed", e.getCause());
        } catch (InterruptedException e) {
          futures.forEach(x -> x.cancel(true));
          Thread.currentThread().interrupt();
          throw new StoreIOException("interrupted while " + what + " " + items.size() + " store entries",
              new InterruptedIOException("interrupted"));
        }
      }
      return out;
    }
  }

  /** Re-hashes files, in parallel when there are several: hashing is CPU-bound at about 1 GB/s per core. */
  private List<FileCheck> hashAll(List<ModelFile> files) throws StoreException {
    int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
    if (threads <= 1) {
      List<FileCheck> out = new ArrayList<>();
      for (ModelFile f : files) {
        out.add(checkFile(f, VerifyMode.FULL));
      }
      return out;
    }
    List<Future<FileCheck>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads,
        Thread.ofPlatform().name("soko-verify-", 0).daemon().factory())) {
      for (ModelFile f : files) {
        futures.add(pool.submit(() -> checkFile(f, VerifyMode.FULL)));
      }
      List<FileCheck> out = new ArrayList<>();
      for (Future<FileCheck> fu : futures) {
        try {
          out.add(fu.get());
        } catch (ExecutionException e) {
          futures.forEach(x -> x.cancel(true));
          if (e.getCause() instanceof StoreException se) {
            throw se;
          }
          throw new IllegalStateException("verifying " + files.size() + " files failed", e.getCause());
        } catch (InterruptedException e) {
          futures.forEach(x -> x.cancel(true));
          Thread.currentThread().interrupt();
          throw new StoreIOException("interrupted while verifying " + files.size() + " files",
              new InterruptedIOException("interrupted"));
        }
      }
      return out;
    }
  }

  /**
   * The only way to hand a model's files to an engine: checks every file (a {@code stat} for an
   * unchanged file, a full re-hash otherwise) and returns a handle only if all match.
   *
   * @throws ModelIntegrityException when a file is missing or does not match; the model is marked
   *     corrupt and nothing is deleted
   */
  public VerifiedModel verified(ModelName name, VerifyMode mode) throws StoreException {
    if (mode == VerifyMode.STAT_ONLY) {
      throw new IllegalArgumentException("STAT_ONLY cannot prove a model good; use CACHED or FULL");
    }
    InstalledModel installed = require(name);
    // Stamps taken before and after the check, and equal: they describe the bytes the check
    // verified, so that the handle can later tell whether a file changed (changedSinceVerified).
    Map<String, FileStamp> before = stamps(installed);
    ModelCheck check = check(installed, mode);
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

  private FileCheck checkFile(ModelFile f, VerifyMode mode) throws StoreException {
    Path blob = layout.blob(f.sha256());
    FileStamp stamp;
    try {
      stamp = FileStamp.of(blob);
    } catch (NoSuchFileException e) {
      return new FileCheck(f, blob, FileState.MISSING, Optional.empty(),
          Optional.of(f.path() + " is missing from the store (" + blob + ")"), false);
    } catch (IOException e) {
      throw new StoreIOException("cannot stat " + blob, e);
    }
    if (!stamp.regularFile()) {
      return new FileCheck(f, blob, FileState.CORRUPT, Optional.empty(),
          Optional.of(f.path() + " is not a regular file in the store (" + blob + ")"), false);
    }
    Optional<VerificationRecord> rec = readRecord(f.sha256());
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
    Hashing.Measured m;
    FileStamp after;
    try {
      m = Hashing.sha256(blob);
      after = FileStamp.of(blob);
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + blob, e);
    }
    if (!after.sameAs(stamp)) {
      // Changed while it was being read: the digest proves nothing about the file as it is now.
      // Record nothing, so the next check hashes it again, and refuse it for this use.
      return new FileCheck(f, blob, FileState.CORRUPT, Optional.empty(),
          Optional.of(f.path() + " changed while it was being verified; run `soko verify` again"), true);
    }
    boolean ok = m.size() == f.size() && m.digest().equals(f.sha256());
    Instant now = clock.instant();
    String problem = ok ? "" : f.path() + ": " + (m.size() != f.size()
        ? "size " + m.size() + " bytes, expected " + f.size()
        : "sha256 " + m.digest().hex() + ", expected " + f.sha256().hex());
    try {
      writeRecord(f.sha256(), new VerificationRecord(f.sha256(), stamp, now, ok, problem));
    } catch (IOException e) {
      throw new StoreIOException("cannot record the verification of " + blob, e);
    }
    if (ok) {
      return new FileCheck(f, blob, FileState.VERIFIED, Optional.of(now), Optional.empty(), true);
    }
    return new FileCheck(f, blob, FileState.CORRUPT, Optional.of(now), Optional.of(problem), true);
  }

  // ---------------------------------------------------------------- removal, gc, cache

  /**
   * Uninstalls a model and deletes the blobs no other installed model uses.
   *
   * @return the bytes freed
   */
  public GcReport remove(ModelName name) throws StoreException {
    InstalledModel model;
    try {
      model = require(name);
    } catch (ModelIntegrityException | StoreConfigException damaged) {
      return removeDamaged(name);
    }
    try (StoreLock.Held lock = StoreLock.acquire(layout.locks().resolve("refs.lock"), LOCK_TIMEOUT)) {
      Files.deleteIfExists(layout.ref(name));
      Files.deleteIfExists(model.manifestFile());
      deleteEmptyDir(model.manifestFile().getParent());
    } catch (IOException e) {
      throw new StoreIOException("cannot remove " + name, e);
    }
    Set<Digest> candidates = new HashSet<>();
    model.manifest().files().forEach(f -> candidates.add(f.sha256()));
    return sweep(false, candidates, false);
  }

  /** Removes a model whose ref or manifest is damaged: its ref and manifests go, then unreferenced blobs. */
  private GcReport removeDamaged(ModelName name) throws StoreException {
    try (StoreLock.Held lock = StoreLock.acquire(layout.locks().resolve("refs.lock"), LOCK_TIMEOUT)) {
      refuseLinkedFolders();
      Files.deleteIfExists(layout.ref(name));
      Path dir = layout.manifests().resolve(name.value());
      for (Path f : listFiles(dir)) {
        Files.deleteIfExists(f);
      }
      deleteEmptyDir(dir);
    } catch (IOException e) {
      throw new StoreIOException("cannot remove " + name, e);
    }
    return sweep(false, null, false);
  }

  /** Removes blobs that no installed model references, quarantined files, and stale temp files. */
  public GcReport gc(boolean dryRun) throws StoreException {
    return sweep(dryRun, null, true);
  }

  /**
   * @param only when not null, consider only these blobs
   * @param all whether to also sweep quarantine, temp files and orphan records
   */
  private GcReport sweep(boolean dryRun, Set<Digest> only, boolean all) throws StoreException {
    List<String> removed = new ArrayList<>();
    long freed = 0;
    try (StoreLock.Held lock = StoreLock.acquire(layout.locks().resolve("refs.lock"), LOCK_TIMEOUT)) {
      refuseLinkedFolders();
      Set<Digest> live = referenced();
      for (Path blob : listBlobs()) {
        Digest d;
        try {
          d = Digest.ofHex(blob.getFileName().toString());
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (live.contains(d) || (only != null && !only.contains(d))) {
          continue;
        }
        long size = sizeOf(blob);
        removed.add(blob.toString());
        freed += size;
        if (!dryRun) {
          Files.deleteIfExists(blob);
          Files.deleteIfExists(layout.record(d));
        }
      }
      if (all) {
        Path q = layout.roots().data().resolve("quarantine");
        Instant staleBefore = clock.instant().minus(STALE_PENDING);
        for (Path p : listFiles(q)) {
          removed.add(p.toString());
          freed += sizeOf(p);
          if (!dryRun) {
            Files.deleteIfExists(p);
          }
        }
        for (Path p : listFiles(layout.dataTmp())) {
          if (modified(p).isBefore(staleBefore)) {
            removed.add(p.toString());
            freed += sizeOf(p);
            if (!dryRun) {
              Files.deleteIfExists(p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new StoreIOException("cannot collect garbage in " + layout.roots().data(), e);
    }
    return new GcReport(dryRun, removed, freed);
  }

  /** Digests referenced by installed models and by installs in progress. */
  private Set<Digest> referenced() throws StoreException, IOException {
    Set<Digest> live = new HashSet<>();
    for (InstalledModel m : installedLenient()) {
      m.manifest().files().forEach(f -> live.add(f.sha256()));
    }
    Instant staleBefore = clock.instant().minus(STALE_PENDING);
    for (Path pin : listFiles(layout.pending())) {
      try {
        Node n = Json.parse(Files.readAllBytes(pin), 16 * 1024 * 1024, "pending install");
        // A pin older than a day is dropped only when its process is gone: a long download keeps its blobs.
        if (modified(pin).isBefore(staleBefore) && !processAlive(n)) {
          Files.deleteIfExists(pin);
          continue;
        }
        for (Node b : n.get("blobs").array(Manifest.MAX_FILES)) {
          live.add(b.parse(Digest::ofHex, "64 hex digits"));
        }
      } catch (JsonProblem | NoSuchFileException e) {
        // A pin being written or removed right now; its install keeps its own blobs.
      }
    }
    return live;
  }

  /** Whether the pin's process is still running on this machine (pids are per machine; a shared store errs on keeping). */
  private static boolean processAlive(Node pin) {
    try {
      long pid = pin.get("pid").integer(1, Long.MAX_VALUE);
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (JsonProblem e) {
      return false;
    }
  }

  /** Parses a manifest whose bytes have the given sha256, once per store and content. */
  private Manifest parseManifest(byte[] bytes, Digest sha256, Path source) throws ManifestException {
    Manifest known = parsedManifests.get(sha256);
    if (known != null) {
      return known;
    }
    Manifest m = ManifestCodec.parse(bytes, source.toString());
    if (parsedManifests.size() >= MAX_PARSED_MANIFESTS) {
      parsedManifests.clear();
    }
    parsedManifests.put(sha256, m);
    return m;
  }

  /** Installed models, also counting the manifests of damaged refs so gc never frees their blobs. */
  private List<InstalledModel> installedLenient() throws IOException {
    return installedLenient(List.of());
  }

  /** Every manifest on disk, parsed leniently; those of {@code known} are taken as they are, not read again. */
  private List<InstalledModel> installedLenient(List<InstalledModel> known) throws IOException {
    List<InstalledModel> out = new ArrayList<>(known);
    Set<Path> seen = new HashSet<>();
    known.forEach(m -> seen.add(m.manifestFile()));
    for (Path dir : listDirs(layout.manifests())) {
      refuseLink(dir);
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        ds.forEach(entries::add);
      } catch (NoSuchFileException e) {
        continue;
      }
      for (Path mf : entries) {
        // Names first, so that the manifests already read cost no stat at all. Any other entry that
        // is not a folder is read (through a link too): gc keeps the blobs of every manifest it can read.
        if (!mf.getFileName().toString().endsWith(".json") || mf.getFileName().toString().startsWith(".")
            || seen.contains(mf) || Files.isDirectory(mf, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try {
          byte[] bytes = Files.readAllBytes(mf);
          Manifest m = parseManifest(bytes, Hashing.sha256(bytes), mf);
          out.add(new InstalledModel(m, mf, Instant.EPOCH, ""));
        } catch (ManifestException e) {
          // Unreadable manifest: its blobs may become orphans, which is what the user sees in diagnostics.
        }
      }
    }
    return out;
  }

  /** Every blob file in the store. */
  List<Path> listBlobs() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : listDirs(layout.blobs())) {
      out.addAll(listFiles(dir));
    }
    return out;
  }

  /**
   * Empties the cache root: downloads in progress, temporary and derived files. Walks only the
   * cache root, never follows a link (a link is removed as a link), never removes the root itself
   * or its CACHEDIR.TAG, and refuses to run when the cache root overlaps the library or data root.
   */
  public CacheClearReport clearCache(boolean dryRun) throws StoreException {
    return clearCache(dryRun, Set.of());
  }

  /** As {@link #clearCache(boolean)}, keeping the given files (such as downloads in progress). */
  public CacheClearReport clearCache(boolean dryRun, Set<Path> keep) throws StoreException {
    StoreRoots roots = layout.roots().validated();
    return CacheSweeper.clear(roots.cache(), layout.cacheTag(), layout.downloads(), dryRun, keep);
  }

  /** Storage use, counting shared blobs once. Reads the store's own folders; hashes nothing. */
  @Override
  public StorageUse usage() throws StoreException {
    return usage(List.of());
  }

  /**
   * Storage use, given models already read (by {@link #installed()}) so that their manifests are
   * not read again; every other manifest on disk is read, since its blobs are not orphans either.
   * Each blob costs one {@code lstat}, and the blob folders are listed on all cores.
   */
  @Override
  public StorageUse usage(List<InstalledModel> known) throws StoreException {
    try {
      Set<Digest> live = new HashSet<>();
      for (InstalledModel m : installedLenient(known)) {
        m.manifest().files().forEach(f -> live.add(f.sha256()));
      }
      long models = 0;
      int modelBlobs = 0;
      long orphans = 0;
      int orphanCount = 0;
      List<List<Sized>> perDir = inSlices(listDirs(layout.blobs()), 32, "measuring", dir -> {
        try {
          return sizedFiles(dir);
        } catch (IOException e) {
          throw new StoreIOException("cannot list " + dir, e);
        }
      });
      for (List<Sized> dir : perDir) {
        for (Sized blob : dir) {
          Digest d;
          try {
            d = Digest.ofHex(blob.path().getFileName().toString());
          } catch (IllegalArgumentException e) {
            continue;
          }
          if (live.contains(d)) {
            models += blob.size();
            modelBlobs++;
          } else {
            orphans += blob.size();
            orphanCount++;
          }
        }
      }
      for (Sized p : sizedFiles(layout.roots().data().resolve("quarantine"))) {
        orphans += p.size();
        orphanCount++;
      }
      CacheSweeper.Usage cache = CacheSweeper.usage(layout.roots().cache(), layout.downloads());
      FileStore fs = Files.getFileStore(layout.roots().data());
      FileStore cfs = Files.getFileStore(layout.roots().cache());
      return new StorageUse(models, modelBlobs, cache.total(), cache.partialBytes(), cache.partialCount(), orphans,
          orphanCount, fs.getUsableSpace(), cfs.getUsableSpace());
    } catch (IOException e) {
      throw new StoreIOException("cannot measure storage in " + layout.roots().data(), e);
    }
  }

  /** A file and its size, from one {@code lstat}. */
  private record Sized(Path path, long size) {}

  /** The files (not folders, not following links) in {@code dir} with their sizes, one {@code lstat} each. */
  private static List<Sized> sizedFiles(Path dir) throws IOException {
    refuseLink(dir);
    List<Sized> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        java.nio.file.attribute.BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // removed meanwhile (gc in another process)
        } catch (IOException e) {
          out.add(new Sized(p, 0)); // unreadable: counted, with no size, rather than failing the whole report
          continue;
        }
        if (!a.isDirectory()) {
          out.add(new Sized(p, a.size()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }


  // ---------------------------------------------------------------- helpers

  /**
   * Refuses to work through a store folder that is a link: a link planted at {@code quarantine/}
   * or {@code blobs/} must not make gc delete files elsewhere.
   */
  private void refuseLinkedFolders() throws IOException {
    Path data = layout.roots().data();
    for (String sub : List.of("blobs", "blobs/sha256", "manifests", "refs", "state", "state/pending", "state/verified",
        "tmp", "quarantine", "locks")) {
      refuseLink(data.resolve(sub));
    }
  }

  /** Refuses to list through a link: deletion never leaves the store's own folders. */
  private static void refuseLink(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a symbolic link; Soko never follows links inside its store: replace it with a"
          + " real folder");
    }
  }

  private static List<Path> listDirs(Path dir) throws IOException {
    refuseLink(dir);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    refuseLink(dir);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  private static long sizeOf(Path p) {
    try {
      return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    } catch (IOException e) {
      return 0;
    }
  }

  private static Instant modified(Path p) {
    try {
      FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
      return t.toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  private static void deleteEmptyDir(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Not empty: another version of the model still lives there.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover temp file is removed by the next gc.
    }
  }
}
