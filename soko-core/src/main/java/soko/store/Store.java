package soko.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.model.VerifiedModel;
import soko.verification.Digest;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/**
 * The model store: content-addressed blobs, installed manifests and refs, verification records,
 * cache controls. Several processes may share one store. {@link Layout} describes the files.
 *
 * <ul>
 *   <li>Blobs are written to a unique temp file, hashed while written, fsynced, made read-only and
 *       published without replacing: the first writer wins and no lock is needed.
 *   <li>Manifests and refs are written atomically under a short cross-process lock.
 *   <li>A model is installed only once its ref is written, after all its blobs are published, so a
 *       crash at any point never leaves a model that {@link #installed()} reports.
 *   <li>Deletion happens only inside the data and cache roots and never follows a link; a link
 *       found where a store file or folder belongs is moved aside, never followed.
 *   <li>A removal interrupted at any step is finished by the next {@link #remove} or {@link #gc}.
 * </ul>
 *
 * <p>This class is the façade; each job is a package-private class: {@link BlobWriter},
 * {@link VerificationRecords}, {@link Verifier}, {@link Refs} and {@link InstallTransaction},
 * {@link Pins}, {@link ModelMarks} and {@link PreviousVersions}, {@link Removals},
 * {@link GarbageCollector}, {@link StorageMeter} and {@link CacheSweeper}, over {@link Layout}.
 * It stays over 400 lines because it is the store's whole public API: most of its lines are the
 * contracts of its methods, each of which delegates to one of those parts in a line or two.
 *
 * <p>Thread-safe.
 */
public final class Store implements StoreView {
  /**
   * How long an operation that changes refs (an install's commit, a rollback, a removal, gc,
   * dropping a previous version) waits for another process holding the store's refs lock before it
   * gives up with a {@link StoreLockedException}: 30 seconds.
   */
  public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

  private final Layout layout;
  private final Quarantine quarantine;
  private final Refs refs;
  private final Pins pins;
  private final BlobWriter blobs;
  private final Verifier verifier;
  private final Clock clock;
  private final Removals removals;
  private final GarbageCollector collector;
  private final StorageMeter meter;
  private final ModelMarks marks;
  private final Steps steps;
  private final PreviousVersions previousVersions;

  private Store(Layout layout, Clock clock, Steps steps, Verifier.Hasher hasher) {
    this.layout = layout;
    this.clock = clock;
    this.quarantine = new Quarantine(layout, clock);
    this.refs = new Refs(layout);
    this.pins = new Pins(layout, clock);
    this.removals = new Removals(layout);
    VerificationRecords records = new VerificationRecords(layout, quarantine);
    this.blobs = new BlobWriter(layout, clock, records, quarantine);
    this.verifier = new Verifier(layout, clock, records, hasher);
    this.marks = new ModelMarks(layout, refs);
    this.collector = new GarbageCollector(layout, clock, refs, pins, removals, quarantine, steps, marks);
    this.meter = new StorageMeter(layout, refs, removals, pins, quarantine);
    this.steps = steps;
    this.previousVersions = new PreviousVersions(layout, refs, marks, pins, verifier, steps);
  }

  /**
   * Opens the store at the given roots, creating it if absent. A link or file found where one of
   * the store's folders belongs is moved aside to the quarantine and a real folder made in its
   * place; {@link #notices()} lists it.
   *
   * @param roots the library, data and cache roots; they must not overlap
   * @param clock the time source of verification records, pins, use marks and gc's age checks
   * @return the open store
   * @throws StoreConfigException when the roots overlap, the store has a newer layout, its layout
   *     marker is damaged or not a regular file, or a data root without a marker already holds other
   *     files
   * @throws StoreException when the store's folders cannot be created or read ({@link
   *     StoreIOException})
   */
  public static Store open(StoreRoots roots, Clock clock) throws StoreException {
    return open(roots, clock, Steps.NONE, Hashing::sha256);
  }

  /** {@link #open(StoreRoots, Clock)} with test seams: named steps, and the hashing of a file. */
  static Store open(StoreRoots roots, Clock clock, Steps steps, Verifier.Hasher hasher) throws StoreException {
    roots.validated();
    Layout layout = new Layout(roots);
    StoreSetup.prepare(layout, new Quarantine(layout, clock), clock);
    return new Store(layout, clock, steps, hasher);
  }

  /**
   * Where the store is.
   *
   * @return the roots given to {@link #open}
   */
  @Override
  public StoreRoots roots() {
    return layout.roots();
  }

  /**
   * Where resumable partial downloads live (inside the cache root).
   *
   * @return the downloads folder; it exists once the store is open
   */
  public Path downloadsDir() {
    return layout.downloads();
  }

  /**
   * Where verified blobs wait to be published (an imported bundle's): the data root's temp folder,
   * on the blobs' file system so that publishing is a rename; gc removes files there a day old.
   *
   * @return the data root's temp folder
   */
  public Path stagingDir() {
    return layout.dataTmp();
  }

  /**
   * A scratch folder inside the cache root, for engines and other derived data. {@code soko cache
   * clear} empties it.
   *
   * @return the cache root's temp folder
   */
  public Path cacheScratch() {
    return layout.cacheTmp();
  }

  /**
   * Where the last accepted remote catalog versions are kept (in the data root: clearing the cache
   * must not reset them).
   *
   * @return the catalog state folder
   */
  public Path catalogStateDir() {
    return layout.catalogState();
  }

  /**
   * The settings file that {@code soko config} writes (in the data root, beside the store's state).
   *
   * @return the file's path; the file itself may not exist yet
   */
  public Path settingsFile() {
    return layout.settings();
  }

  // ---------------------------------------------------------------- blobs

  /**
   * Whether the blob is in the store as a regular file (a link there does not count). Looks at the
   * file only: it is not hashed, and its verification record is not read.
   *
   * @param d the blob's sha256
   * @return true when a regular file is at {@link #blobPath(Digest)}
   */
  public boolean hasBlob(Digest d) {
    return blobs.has(d);
  }

  /**
   * Where a blob is or would be stored. Touches no file.
   *
   * @param d the blob's sha256
   * @return the blob's path in the data root, whether or not it exists
   */
  public Path blobPath(Digest d) {
    return layout.blob(d);
  }

  /**
   * Writes a file's bytes from a stream into the store, hashing them as they are written, and
   * publishes the blob only if size and sha256 match. Reads at most {@code file.size() + 1} bytes.
   * Does not close the stream.
   *
   * @param file the file's expected size and sha256
   * @param in the bytes; read from its current position, at most {@code file.size() + 1} of them
   * @param subject names the source in messages, e.g. "bundled:silero-vad/silero_vad_v6.onnx"
   * @throws IntegrityException when the stream's bytes differ from {@code file} in size or sha256:
   *     nothing is published
   * @throws StoreException when the stream or the store's files fail ({@link StoreIOException})
   */
  public void putBlob(ModelFile file, InputStream in, String subject) throws StoreException, IntegrityException {
    blobs.put(file, in, subject);
  }

  /**
   * Moves a complete, already verified file (such as a finished download) into the store. When
   * the file is on another file system it is copied and hashed again on the way. Only a plain file
   * with one name is taken: a link, a special file or a second name of another file is refused,
   * never moved, chmodded or published.
   *
   * @param file the file's expected size and sha256
   * @param verified the file already proven to match {@code file}; it is moved away (or, across
   *     file systems, copied and then deleted)
   * @throws IntegrityException when the file no longer has the expected size (it changed after it
   *     was verified), or, copied across file systems, its bytes do not match {@code file}
   * @throws StoreException when the file is a link, a special file or a second name, or cannot be
   *     moved ({@link StoreIOException})
   */
  public void publishVerified(ModelFile file, Path verified) throws StoreException, IntegrityException {
    blobs.publishVerified(file, verified);
  }

  // ---------------------------------------------------------------- installs

  /**
   * Starts installing a model: pins its blobs so that a concurrent {@link #gc} keeps them while
   * this process runs. Publish the blobs, then {@link Install#commit}. Closing without commit
   * leaves nothing installed.
   *
   * @param manifest the model to install
   * @return the install in progress, to close exactly once
   * @throws StoreException when the pin cannot be written ({@link StoreIOException})
   */
  public Install beginInstall(Manifest manifest) throws StoreException {
    Path pin = pins.pin(manifest);
    return new Install(new InstallTransaction(manifest, pin, layout, clock, refs, verifier, removals, quarantine,
        marks, steps));
  }

  /** An install in progress. Not thread-safe; close exactly once. */
  public static final class Install implements AutoCloseable {
    private final InstallTransaction tx;

    private Install(InstallTransaction tx) {
      this.tx = tx;
    }

    /**
     * The model being installed.
     *
     * @return the manifest given to {@link Store#beginInstall}
     */
    public Manifest manifest() {
      return tx.manifest();
    }

    /**
     * The files whose blobs are not in the store yet, or are there but not proven good by a cached
     * check (a present file whose record is stale is hashed again).
     *
     * @return those files, in manifest order; empty when every blob is in place and verified
     * @throws StoreException when the store's files cannot be read
     */
    public List<ModelFile> missingFiles() throws StoreException {
      return tx.missingFiles();
    }

    /**
     * Records the model as installed. Every blob must be present and verified.
     *
     * @param origin where it came from, shown by {@code soko list}
     * @return the installed model
     * @throws ModelIntegrityException when a blob is missing or does not verify: nothing is installed
     * @throws StoreLockedException when another process holds the refs lock longer than {@link
     *     #LOCK_TIMEOUT}
     * @throws StoreException when the manifest or ref cannot be written ({@link StoreIOException})
     */
    public InstalledModel commit(String origin) throws StoreException {
      return tx.commit(origin, false);
    }

    /**
     * Records the model as installed; with {@code keepPrevious} (an update), the version it replaces
     * stays installable by {@link Store#rollback} until gc, a removal or the budget drops it. The
     * ref switches in one atomic rename: a kill at any point leaves the old or the new version
     * installed, both usable.
     *
     * @param origin where it came from, shown by {@code soko list}
     * @param keepPrevious whether the version this install replaces stays for {@link Store#rollback}
     * @return the installed model
     * @throws ModelIntegrityException when a blob is missing or does not verify: nothing changes
     * @throws StoreLockedException when another process holds the refs lock longer than {@link
     *     #LOCK_TIMEOUT}
     * @throws StoreException when the manifest or ref cannot be written ({@link StoreIOException})
     */
    public InstalledModel commit(String origin, boolean keepPrevious) throws StoreException {
      return tx.commit(origin, keepPrevious);
    }

    /** Ends the install: releases its pin; without a commit, nothing is installed. */
    @Override
    public void close() {
      tx.close();
    }
  }

  /**
   * Every installed model, by name. A damaged entry is reported as an error, not skipped silently.
   *
   * @return one model per installed name
   * @throws StoreException when the store cannot be read, or a ref or manifest is damaged or missing
   *     ({@link StoreConfigException}, {@link ModelIntegrityException})
   */
  @Override
  public List<InstalledModel> installed() throws StoreException {
    return refs.installed();
  }

  /**
   * The installed model of that name, if any.
   *
   * @param name the model's name
   * @return the model, or empty when no model of that name is installed
   * @throws ModelIntegrityException when its manifest is missing or does not match its ref
   * @throws StoreException when its ref is damaged ({@link StoreConfigException}) or cannot be read
   */
  public Optional<InstalledModel> installed(ModelName name) throws StoreException {
    return refs.installed(name);
  }

  /**
   * The installed model of that name, which must exist.
   *
   * @param name the model's name
   * @return the model
   * @throws ModelNotInstalledException when no model of that name is installed
   * @throws ModelIntegrityException when its manifest is missing or does not match its ref
   * @throws StoreException when its ref is damaged ({@link StoreConfigException}) or cannot be read
   */
  public InstalledModel require(ModelName name) throws StoreException {
    return refs.require(name);
  }

  // ---------------------------------------------------------------- use, keep, previous versions

  /**
   * Records that an engine opened the model now: one small atomic write per load, never per
   * inference. The budget evicts the least recently used models first. Does not check that the
   * model is installed.
   *
   * @param name the model opened
   * @throws StoreException when the mark cannot be written ({@link StoreIOException})
   */
  public void recordUse(ModelName name) throws StoreException {
    marks.recordUse(name, clock.instant());
  }

  /**
   * When an engine last opened the model, if ever (as far as this store recorded).
   *
   * @param name the model
   * @return the time of the last {@link #recordUse}, or empty when none was recorded (or the mark
   *     cannot be read)
   */
  public Optional<Instant> lastUsed(ModelName name) {
    return marks.lastUsed(name);
  }

  /**
   * Marks the model keep (the budget never evicts it), or unmarks it. Unmarking a model that is not
   * marked does nothing.
   *
   * @param name the model
   * @param keep true to mark, false to unmark
   * @throws StoreException when the mark cannot be written or deleted ({@link StoreIOException})
   */
  public void keep(ModelName name, boolean keep) throws StoreException {
    marks.keep(name, keep, clock.instant());
  }

  /**
   * Whether the model is marked keep.
   *
   * @param name the model
   * @return true when {@link #keep} marked it and it was not unmarked since; a damaged mark reads as
   *     not kept
   */
  public boolean kept(ModelName name) {
    return marks.kept(name);
  }

  /**
   * The version an update replaced, kept for {@link #rollback}, if any and if its manifest is intact.
   *
   * @param name the model
   * @return the previous version, or empty when there is none or its manifest is missing or damaged
   * @throws StoreException when the record or manifest cannot be read
   */
  public Optional<InstalledModel> previous(ModelName name) throws StoreException {
    return previousVersions.previous(name);
  }

  /**
   * Switches the name back to the version an update replaced, once every file of that version
   * verifies (a stat per unchanged file); the version switched away from becomes the previous one,
   * so a second rollback goes forward again. The ref changes in one atomic rename.
   *
   * @param name the model
   * @return the version now installed (the previous one)
   * @throws ModelIntegrityException when a file of the previous version does not verify: nothing changes
   * @throws StoreConfigException when there is no previous version, or it changed meanwhile
   * @throws ModelNotInstalledException when no model of that name is installed
   * @throws StoreLockedException when another process holds the refs lock longer than {@link
   *     #LOCK_TIMEOUT}
   * @throws StoreException when the ref cannot be written ({@link StoreIOException})
   */
  public InstalledModel rollback(ModelName name) throws StoreException {
    return previousVersions.rollback(name);
  }

  /**
   * Lets the version an update kept for rollback go: deletes its manifest and the blobs no other
   * model uses. Does nothing when there is none. A kill at any step leaves the installed version
   * untouched, at worst orphans that gc frees.
   *
   * @param name the model
   * @return what was deleted and how many bytes that freed; nothing removed when there was no
   *     previous version
   * @throws StoreLockedException when another process holds the refs lock longer than {@link
   *     #LOCK_TIMEOUT}
   * @throws StoreException when the store's files cannot be read or deleted
   */
  public GcReport dropPrevious(ModelName name) throws StoreException {
    return collector.dropPrevious(name);
  }

  /**
   * Keeps a model's blobs while this process uses it (an engine has it open): the budget never
   * evicts a held model, and gc keeps its blobs even if it is removed meanwhile. Released by
   * {@link Hold#close()}, or when this process is gone.
   *
   * @param manifest the model in use
   * @return the hold, to close exactly once
   * @throws StoreException when the pin cannot be written ({@link StoreIOException})
   */
  public Hold hold(Manifest manifest) throws StoreException {
    return new Hold(manifest.id(), pins.pin(manifest));
  }

  /** A model kept in use by this process. Close exactly once (more closes do nothing). */
  public static final class Hold implements AutoCloseable {
    private final String model;
    private final Path pin;

    private Hold(String model, Path pin) {
      this.model = model;
      this.pin = pin;
    }

    /**
     * The model held.
     *
     * @return {@code name@version}
     */
    public String model() {
      return model;
    }

    /**
     * Releases the hold (deletes its pin); a pin that cannot be deleted is released by gc once this
     * process is gone.
     */
    @Override
    public void close() {
      Files2.deleteQuietly(pin);
    }
  }

  /**
   * The models held by a live process, as {@code name@version}: those open in an engine ({@link
   * #hold}) and those being installed.
   *
   * @return {@code name@version} of each, sorted; empty when none is held
   * @throws StoreException when the pins cannot be read ({@link StoreIOException})
   */
  public Set<String> held() throws StoreException {
    return pins.heldModels();
  }

  // ---------------------------------------------------------------- verification

  /**
   * The files of {@code manifest} the store lacks or holds corrupt, by stat and records only: for
   * planning a download without writing or hashing anything. (An install checks again, and
   * re-hashes a present file whose record is stale.)
   *
   * @param manifest the model to plan
   * @return the files to download, in manifest order; empty when the store has them all
   * @throws StoreException when the store's files cannot be read
   */
  public List<ModelFile> absentFiles(Manifest manifest) throws StoreException {
    return verifier.absentFiles(manifest);
  }

  /**
   * Checks one model by records and {@code stat} only ({@link VerifyMode#STAT_ONLY}): hashes nothing.
   *
   * @param model an installed model
   * @return the state of each of its files
   * @throws StoreException when the store cannot be read
   */
  @Override
  public ModelCheck checkWithoutHashing(InstalledModel model) throws StoreException {
    return check(model, VerifyMode.STAT_ONLY);
  }

  /**
   * {@link #checkWithoutHashing(InstalledModel)} of several models at once.
   *
   * @param models installed models
   * @return one check per model, in the same order
   * @throws StoreException when the store cannot be read
   */
  @Override
  public List<ModelCheck> checkWithoutHashing(List<InstalledModel> models) throws StoreException {
    return check(models, VerifyMode.STAT_ONLY);
  }

  /**
   * Checks one installed model's files. Never throws for bad files: they come back as corrupt or
   * missing. Files that must be re-hashed are hashed in parallel, one thread per core at most.
   *
   * @param model an installed model
   * @param mode how much to trust the records: see {@link VerifyMode}
   * @return the state of each of its files
   * @throws StoreException when the store itself cannot be read
   */
  public ModelCheck check(InstalledModel model, VerifyMode mode) throws StoreException {
    return check(List.of(model), mode).getFirst();
  }

  /**
   * Checks several models at once: first a {@code stat} of every file, then the files that must be
   * re-hashed ({@link VerifyMode#FULL}, or a changed file under {@link VerifyMode#CACHED}) on up to
   * one thread per core, so verifying several large files uses every core. Recording the results
   * is best-effort: when a record cannot be written (a full disk) the result stands, and the file's
   * check carries a {@link FileCheck#warning()}.
   *
   * @param models installed models
   * @param mode how much to trust the records: see {@link VerifyMode}
   * @return one check per model, in the same order
   * @throws StoreException when the store itself cannot be read
   */
  public List<ModelCheck> check(List<InstalledModel> models, VerifyMode mode) throws StoreException {
    return verifier.check(models, mode);
  }

  /**
   * For a blob that is in the store but corrupt and has chunk records ({@code verify --full} or the
   * install wrote them from bytes proven good), or whose manifest lists chunk digests (used when
   * the record has none), which chunks fail now: hashed on every core. Empty
   * when the file has neither, is not a regular file of the manifest's size, or is
   * not corrupt after all; then a repair fetches the whole file.
   *
   * @param file a file of an installed model
   * @return the chunks to fetch again, or empty as above
   * @throws StoreException when the store's files cannot be read
   */
  public Optional<ChunkRepair> chunkRepair(ModelFile file) throws StoreException {
    return verifier.chunkRepair(file);
  }

  /**
   * A corrupt blob whose good chunks can be kept: fetch the {@code badChunks} (chunk {@code i} is
   * the bytes from {@code i * chunkSize}, the last one shorter), then prove the whole file.
   * Immutable.
   *
   * @param blob the corrupt blob's path in the store
   * @param chunkSize the size of each chunk in bytes (the last may be shorter)
   * @param badChunks the indexes of the chunks that fail, ascending; never empty when the store
   *     made it; copied
   */
  public record ChunkRepair(Path blob, long chunkSize, List<Integer> badChunks) {
    /** Copies {@code badChunks}. */
    public ChunkRepair {
      badChunks = List.copyOf(badChunks);
    }
  }

  /**
   * The only way to hand a model's files to an engine: checks every file (a {@code stat} for an
   * unchanged file, a full re-hash otherwise) and returns a handle only if all match.
   *
   * @param name the model
   * @param mode {@link VerifyMode#CACHED} or {@link VerifyMode#FULL}
   * @return the handle to the model's verified files
   * @throws ModelIntegrityException when a file is missing or does not match; the model is marked
   *     corrupt and nothing is deleted
   * @throws ModelNotInstalledException when no model of that name is installed
   * @throws StoreException when the store cannot be read
   * @throws IllegalArgumentException when {@code mode} is {@link VerifyMode#STAT_ONLY}
   */
  public VerifiedModel verified(ModelName name, VerifyMode mode) throws StoreException {
    if (mode == VerifyMode.STAT_ONLY) {
      throw new IllegalArgumentException("STAT_ONLY cannot prove a model good; use CACHED or FULL");
    }
    return verifier.verified(require(name), mode);
  }

  // ---------------------------------------------------------------- removal, gc, cache

  /**
   * Uninstalls a model and deletes the blobs no other installed model uses. Resumable: when an
   * earlier removal of the name was interrupted, this finishes it (the model is no longer
   * installed) and says so in {@link GcReport#notices()}; when an earlier removal of the name
   * completed, this frees nothing and says that the model was already removed.
   *
   * @param name the model
   * @return what was deleted, how many bytes that freed, and notices
   * @throws ModelNotInstalledException when the model is neither installed, being removed nor removed before
   * @throws StoreLockedException when another process holds the refs lock longer than {@link
   *     #LOCK_TIMEOUT}
   * @throws StoreException when the store's files cannot be read or deleted
   */
  public GcReport remove(ModelName name) throws StoreException {
    return collector.remove(name);
  }

  /**
   * Removes what {@link StorageUse#orphans()} counts: blobs that no installed model and no running
   * install uses, links in the blob folders, quarantined files; and temp files a day old. Also
   * finishes interrupted removals, releases the pins of processes that are gone, and moves aside
   * links found where refs, manifests, records or pins belong (they stay quarantined until the next
   * gc, so that diagnostics shows them).
   *
   * @param dryRun true to only report what would be removed
   * @return what was (or would be) removed and how many bytes that frees
   * @throws StoreLockedException when another process holds the refs lock longer than {@link
   *     #LOCK_TIMEOUT}
   * @throws StoreException when the store's files cannot be read or deleted
   */
  public GcReport gc(boolean dryRun) throws StoreException {
    return collector.gc(dryRun);
  }

  /**
   * Empties the cache root: downloads in progress, temporary and derived files. Walks only the
   * cache root, never follows a link (a link is removed as a link), never removes the root itself
   * or its CACHEDIR.TAG, and refuses to run when the cache root overlaps the library or data root.
   *
   * @param dryRun true to only report what would be removed
   * @return what was (or would be) removed and how many bytes that frees
   * @throws StoreConfigException when the cache root overlaps the library or data root
   * @throws StoreException when the cache root cannot be read or emptied
   */
  public CacheClearReport clearCache(boolean dryRun) throws StoreException {
    return clearCache(dryRun, Set.of());
  }

  /**
   * As {@link #clearCache(boolean)}, keeping the given files (such as downloads in progress).
   *
   * @param dryRun true to only report what would be removed
   * @param keep files inside the cache root to leave in place; may be empty
   * @return what was (or would be) removed and how many bytes that frees
   * @throws StoreConfigException when the cache root overlaps the library or data root
   * @throws StoreException when the cache root cannot be read or emptied
   */
  public CacheClearReport clearCache(boolean dryRun, Set<Path> keep) throws StoreException {
    layout.roots().validated();
    return CacheSweeper.clear(layout, dryRun, keep);
  }

  /**
   * As {@link #clearCache(boolean, Set)}, after the downloader removed what it could under its
   * locks: the downloads folder's own entries are left to it, since a download may start meanwhile.
   * Never a dry run.
   *
   * @param keep files inside the cache root to leave in place; may be empty
   * @return what was removed and how many bytes that freed
   * @throws StoreConfigException when the cache root overlaps the library or data root
   * @throws StoreException when the cache root cannot be read or emptied
   */
  public CacheClearReport clearCacheAfterDownloads(Set<Path> keep) throws StoreException {
    layout.roots().validated();
    return CacheSweeper.clear(layout, false, keep, true);
  }

  /**
   * Storage use, counting shared blobs once. Reads the store's own folders; hashes nothing.
   *
   * @return bytes and counts per kind of file, and the free space
   * @throws StoreException when the store cannot be read
   */
  @Override
  public StorageUse usage() throws StoreException {
    return usage(List.of());
  }

  /**
   * Storage use, given models already read (by {@link #installed()}) so that their manifests are
   * not read again; every other manifest on disk is read, since its blobs are not orphans either.
   * Each blob costs one {@code lstat}, and the blob folders are listed on all cores. Orphans are
   * exactly what {@link #gc} would free.
   *
   * @param known models {@link #installed()} returned; may be empty
   * @return bytes and counts per kind of file, and the free space
   * @throws StoreException when the store cannot be read
   */
  @Override
  public StorageUse usage(List<InstalledModel> known) throws StoreException {
    return meter.usage(known);
  }

  /**
   * What diagnostics should tell: one line per entry of the quarantine (a link found where a store
   * file or folder belongs, a corrupt copy replaced by a good one), until {@link #gc} deletes it.
   *
   * @return the notices, one line each; empty when the quarantine is empty
   * @throws StoreException when the quarantine cannot be listed ({@link StoreIOException})
   */
  @Override
  public List<String> notices() throws StoreException {
    try {
      return quarantine.notices();
    } catch (IOException e) {
      throw new StoreIOException("cannot list " + layout.quarantine(), e);
    }
  }
}
