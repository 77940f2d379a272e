package soko.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import soko.acquisition.AcquisitionException;
import soko.acquisition.Destination;
import soko.acquisition.Downloader;
import soko.acquisition.LocalSource;
import soko.acquisition.oci.LayerArchive;
import soko.acquisition.oci.LayerRef;
import soko.acquisition.oci.OciException;
import soko.acquisition.oci.OciFormatException;
import soko.acquisition.oci.OciReference;
import soko.acquisition.oci.PulledManifest;
import soko.events.ProgressListener;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.store.FileState;
import soko.store.InstalledModel;
import soko.store.Store;
import soko.store.StoreException;
import soko.store.StoreIOException;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * The install use case, for every way a model comes in: a bundled name, a manifest file, a
 * catalog name or alias, an {@code oci://} reference (and, next, an imported bundle). {@link
 * Soko#install}, {@link Soko#pull}, {@link Soko#plan} and {@link Registries#pull} only find the
 * manifest and call this class, so the same rules hold for all of them:
 *
 * <ol>
 *   <li>Files whose blobs the store already holds, verified, are kept; a model whose files are all
 *       there is reported as already installed.
 *   <li>Files with a local source ({@code bundled:}, {@code file:}) that exists are copied into the
 *       store, which verifies size and sha256 while writing and publishes only then.
 *   <li>The rest is downloaded by the {@link Downloader} from its {@code https:}, {@code http:} and
 *       {@code oci://} sources (in manifest order, failing over from one to the next), only after
 *       {@link Consent} approves the {@link DownloadPlan}, and published into the store under the
 *       download's lock.
 *   <li>Offline, no request is made at all. A consent that refuses makes no request beyond the
 *       catalog reads that found the manifest. One exception, because a plan cannot be shown
 *       without it: for an {@code oci://} reference the manifest itself comes from the registry, so
 *       that one request is made before consent is asked, unless the consent is {@link
 *       Consent#REFUSE} (no terminal and no {@code --yes}), which could never approve a plan.
 *   <li>A model is recorded as installed only once every file is in the store.
 *   <li>A second install of the same files, in this or another process, waits for the first (see
 *       {@link Downloader#fetchInto}) and then takes the files it published: each file crosses the
 *       network once.
 * </ol>
 *
 * Thread-safe.
 */
// About 490 lines, more than a class should have: it is the one install pipeline every way in
// shares (bundled, local file, catalog, oci://, bundle import, import, update), and the rules above
// are one ordered transaction (plan, consent, copy or download, commit, evict). Its steps read the
// same transaction state; cutting them into classes would spread that order over several files.
final class InstallService {
  /** A step of reading an artifact that may find it unfit to install. */
  @FunctionalInterface
  interface ArtifactStep {
    Manifest run() throws OciException;
  }

  /** Runs {@code step}, an unfit artifact becoming a {@link RegistryException} with the same one-line message. */
  private static Manifest complete(ArtifactStep step) throws AppException {
    try {
      return step.run();
    } catch (OciException e) {
      throw new RegistryException(e.getMessage(), e);
    }
  }

  /** Reads the manifest of a registry reference: the one request made before consent. */
  @FunctionalInterface
  interface RegistryManifest {
    PulledManifest read() throws AppException;
  }

  private final Store store;
  private final Downloader downloader;
  private final boolean offline;
  private final Supplier<Optional<StorageBudget>> budget;

  InstallService(Store store, Downloader downloader, boolean offline) {
    this(store, downloader, offline, Optional::empty);
  }

  /** @param budget the storage budget in force, read at each install (see {@link Soko#budget()}) */
  InstallService(Store store, Downloader downloader, boolean offline, Supplier<Optional<StorageBudget>> budget) {
    this.store = store;
    this.downloader = downloader;
    this.offline = offline;
    this.budget = budget;
  }

  Downloader downloader() {
    return downloader;
  }

  /**
   * Installs {@code manifest}, recording {@code origin} (shown by {@code soko list}). Idempotent;
   * repairs a model with a corrupt or missing file.
   */
  Soko.InstallResult install(Manifest manifest, String origin, Consent consent, ProgressListener listener)
      throws AppException, StoreException, IntegrityException, AcquisitionException {
    return install(manifest, origin, consent, listener, false);
  }

  /**
   * As {@link #install(Manifest, String, Consent, ProgressListener)}; with {@code keepPrevious} (an
   * update) the version replaced stays for rollback. When a storage budget is set, what it must
   * evict is planned before anything is written and shown in the consent's plan; an install that
   * cannot fit is refused with {@link BudgetException} before any download; evictions happen only
   * after the new model has verified and is recorded.
   */
  Soko.InstallResult install(Manifest manifest, String origin, Consent consent, ProgressListener listener,
      boolean keepPrevious) throws AppException, StoreException, IntegrityException, AcquisitionException {
    LicenseAcceptance.require(manifest, consent);
    Optional<InstalledModel> existing = installedOrDamaged(manifest.name()).filter(m -> m.manifest().equals(manifest));
    try (Store.Install tx = store.beginInstall(manifest)) {
      List<ModelFile> missing = tx.missingFiles();
      if (existing.isPresent() && missing.isEmpty()) {
        return new Soko.InstallResult(existing.get(), true, 0, 0);
      }
      List<Eviction> evictions = evictionsFor(manifest);
      long bytes = 0;
      int copied = 0;
      List<ModelFile> remote = new ArrayList<>();
      Set<Digest> seen = new HashSet<>();
      for (ModelFile f : missing) {
        if (!seen.add(f.sha256())) {
          continue; // two paths, one content: stored once
        }
        if (hasLocalSource(f)) {
          copyLocal(f);
          bytes += f.size();
          copied++;
        } else if (downloader.canFetch(f)) {
          remote.add(f);
        } else {
          copyLocal(f); // throws UnknownModelException naming every source that failed
        }
      }
      if (!remote.isEmpty()) {
        DownloadPlan plan = plan(manifest, remote, evictions);
        if (offline) {
          throw new ConsentRequiredException("offline: " + manifest.id() + " needs a download of "
              + Bytes.human(plan.bytesToDownload()) + " from " + String.join(", ", plan.hosts())
              + "; run without --offline (and unset SOKO_OFFLINE), or install from a manifest whose sources are local files");
        }
        if (!consent.approve(plan)) {
          throw notApproved(plan);
        }
        List<ModelFile> published = new ArrayList<>();
        List<ModelFile> whole = new ArrayList<>();
        for (ModelFile f : remote) {
          // A corrupt copy with chunk records: fetch only the chunks that fail, then prove the whole file.
          Optional<Store.ChunkRepair> repair = store.chunkRepair(f);
          if (repair.isPresent() && downloader.repairChunks(f, repair.get().blob(), repair.get().chunkSize(),
              repair.get().badChunks(), destination(tx), listener).isPresent()) {
            published.add(f);
          } else {
            whole.add(f);
          }
        }
        if (!whole.isEmpty()) {
          published.addAll(downloader.fetchInto(whole, destination(tx), listener));
        }
        bytes += published.stream().mapToLong(ModelFile::size).sum();
        if (copied == 0 && published.isEmpty()) {
          // Every file was published by another install of this model that ran meanwhile: this one
          // wrote nothing, and the model is installed (by the other, or by this commit if it has not
          // recorded it yet).
          Optional<InstalledModel> now = installedOrDamaged(manifest.name()).filter(m -> m.manifest().equals(manifest));
          return new Soko.InstallResult(now.isPresent() ? now.get() : tx.commit(origin, keepPrevious), true, 0, 0,
              Evictions.evict(store, evictions));
        }
      }
      InstalledModel installed = tx.commit(origin, keepPrevious);
      return new Soko.InstallResult(installed, false, missing.size(), bytes, Evictions.evict(store, evictions));
    }
  }

  /**
   * Installs the model at a registry reference. Offline, or with {@link Consent#REFUSE}, nothing
   * is requested: only a digest-pinned reference to a model already installed from it succeeds.
   * Otherwise the manifest is read (and verified) first, then installed like any other.
   */
  Soko.InstallResult pull(OciReference ref, RegistryManifest manifest, Optional<List<TaskSpec>> tasks, Consent consent,
      ProgressListener listener) throws AppException, StoreException, IntegrityException, AcquisitionException {
    String reference = OciReference.SCHEME_PREFIX + ref;
    if (offline || consent == Consent.REFUSE) {
      Optional<InstalledModel> pinned = installedFrom(ref);
      if (pinned.isPresent() && store.checkWithoutHashing(pinned.get()).state() == FileState.VERIFIED) {
        return new Soko.InstallResult(pinned.get(), true, 0, 0);
      }
      throw new ConsentRequiredException(offline
          ? "offline: pulling " + reference + " needs the registry " + ref.registry()
              + "; run without --offline (and unset SOKO_OFFLINE)"
          // A consent that refuses everything cannot approve any plan: not even the manifest is read.
          : "pulling " + reference + " downloads from " + ref.registry()
              + " and was not approved; run again with --yes, or answer yes when asked");
    }
    PulledManifest pulled = manifest.read();
    if (pulled.packedLayers().isEmpty()) {
      Manifest model = complete(() -> pulled.complete(Map.of(), tasks));
      return install(model, OciReference.SCHEME_PREFIX + pulled.reference(), consent, listener);
    }
    Optional<InstalledModel> same = installedFrom(pulled.reference());
    if (same.isPresent() && store.checkWithoutHashing(same.get()).state() == FileState.VERIFIED) {
      // Installed from these very bytes: its files are in the store; only the tasks may change.
      Manifest model = complete(() -> PulledManifest.withTasks(same.get().manifest(), tasks, pulled.reference().toString()));
      return install(model, same.get().origin(), consent, listener);
    }
    long[] written = new long[2]; // files, bytes put into the store before the install records them
    Manifest model = unpack(pulled, tasks, consent, listener, written);
    Soko.InstallResult r = install(model, OciReference.SCHEME_PREFIX + pulled.reference(), consent, listener);
    return written[0] == 0 ? r
        : new Soko.InstallResult(r.model(), false, r.filesWritten() + (int) written[0], r.bytesWritten() + written[1],
            r.evicted());
  }

  /**
   * Downloads what a ModelPack with tar layers needs (after one consent for all of it), unpacks
   * each tar layer into a staging folder in the downloads folder ({@link LayerArchive}: no links,
   * no paths out, bounded size) and puts every unpacked file into the store, which checks it
   * against the sha256 measured while unpacking: that sha256 is what the manifest records.
   */
  private Manifest unpack(PulledManifest pulled, Optional<List<TaskSpec>> tasks, Consent consent, ProgressListener listener,
      long[] written)
      throws AppException, StoreException, IntegrityException, AcquisitionException {
    Manifest transfer = complete(pulled::transfer);
    LicenseAcceptance.require(transfer, consent);
    List<ModelFile> absent = store.absentFiles(transfer);
    if (!absent.isEmpty() && !consent.approve(plan(transfer, absent, List.of()))) {
      throw notApproved(plan(transfer, absent, List.of()));
    }
    Set<Digest> packed = new HashSet<>();
    pulled.packedLayers().forEach(l -> packed.add(l.digest()));
    List<ModelFile> raw = absent.stream().filter(f -> !packed.contains(f.sha256())).toList();
    List<ModelFile> layers = transfer.files().stream().filter(f -> packed.contains(f.sha256())).toList();
    if (!raw.isEmpty()) {
      List<ModelFile> published = downloader.fetchInto(raw, new Destination() {
        @Override
        public boolean holds(ModelFile file) throws StoreException {
          return store.absentFiles(transfer).stream().noneMatch(f -> f.sha256().equals(file.sha256()));
        }

        @Override
        public void publish(ModelFile file, Path verified) throws StoreException, IntegrityException {
          store.publishVerified(file, verified);
        }
      }, listener);
      written[0] += published.size();
      written[1] += published.stream().mapToLong(ModelFile::size).sum();
    }
    Path staging;
    try {
      staging = Files.createTempDirectory(store.downloadsDir(), "unpack-");
    } catch (IOException e) {
      throw new StoreIOException("cannot create a folder to unpack into in " + store.downloadsDir() + ": " + e.getMessage(), e);
    }
    try {
      Map<Digest, Path> tars = new HashMap<>();
      downloader.fetchInto(layers, new Destination() {
        @Override
        public boolean holds(ModelFile file) {
          return tars.containsKey(file.sha256());
        }

        @Override
        public void publish(ModelFile file, Path verified) throws StoreException {
          Path tar = staging.resolve(file.sha256().hex());
          try {
            Files.move(verified, tar);
          } catch (IOException e) {
            throw new StoreIOException("cannot move the layer " + file.sha256() + " into " + staging + ": " + e.getMessage(), e);
          }
          synchronized (tars) {
            tars.put(file.sha256(), tar);
          }
        }
      }, listener);
      Map<Digest, LayerArchive.Contents> unpacked = new HashMap<>();
      String subject = OciReference.SCHEME_PREFIX + pulled.reference();
      for (LayerRef layer : pulled.packedLayers()) {
        if (unpacked.containsKey(layer.digest())) {
          continue;
        }
        String where = subject + " layer " + layer.path() + " (" + layer.digest().shortHex() + ")";
        Path into = staging.resolve("files-" + layer.digest().hex());
        try {
          Files.createDirectory(into);
          boolean gzip = PulledManifest.gzip(layer);
          LayerArchive.Contents c = LayerArchive.unpack(tars.get(layer.digest()), gzip, into,
              LayerArchive.limit(layer.size(), gzip, store.usage().cacheFree()), where);
          for (LayerArchive.Entry e : c.files()) {
            ModelFile f = new ModelFile(e.path(), e.size(), e.sha256(), List.of(SourceUri.parse(pulled.reference().blobUri(layer.digest()))));
            try (InputStream in = Files.newInputStream(e.staged())) {
              store.putBlob(f, in, where + ": " + e.path());
            }
            written[0]++;
            written[1] += e.size();
            Files.delete(e.staged());
          }
          unpacked.put(layer.digest(), c);
        } catch (OciFormatException e) {
          throw new RegistryException(e.getMessage(), e);
        } catch (IOException e) {
          throw new StoreIOException(where + ": unpacking into " + into + " failed: " + e.getMessage(), e);
        }
      }
      return complete(() -> pulled.complete(unpacked, tasks));
    } finally {
      deleteStaging(staging);
    }
  }

  private static void deleteStaging(Path staging) {
    try (var walk = Files.walk(staging)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a leftover in the downloads folder is removed by `soko cache clear`
    }
  }

  /**
   * What installing {@code manifest} would download, without downloading anything: the files the
   * store lacks that no local source can provide. Empty when it installs from the store or local
   * sources.
   */
  DownloadPlan plan(Manifest manifest) throws StoreException {
    List<ModelFile> needed = new ArrayList<>();
    for (ModelFile f : store.absentFiles(manifest)) {
      if (!hasLocalSource(f)) {
        needed.add(f);
      }
    }
    return plan(manifest, needed, List.of());
  }

  /** {@link #plan(Manifest)} with what the budget would evict (nothing when nothing downloads). */
  DownloadPlan planWithEvictions(Manifest manifest) throws StoreException, BudgetException {
    DownloadPlan p = plan(manifest);
    if (p.files().isEmpty()) {
      return p;
    }
    return new DownloadPlan(p.manifest(), p.files(), p.bytesToDownload(), p.bytesAlreadyPresent(), p.freeAfter(),
        p.hosts(), p.license(), evictionsFor(manifest));
  }

  /**
   * What the budget must evict to make room for {@code manifest}.
   *
   * @throws BudgetException when even evicting everything that may go is not enough
   */
  List<Eviction> evictionsFor(Manifest manifest) throws StoreException, BudgetException {
    Optional<StorageBudget> b = budget.get();
    if (b.isEmpty()) {
      return List.of();
    }
    Evictions.Plan p = Evictions.plan(store, b.get(), Optional.of(manifest));
    if (!p.fits()) {
      throw new BudgetException(p.refusal("installing " + manifest.id()));
    }
    return p.evictions();
  }

  private DownloadPlan plan(Manifest m, List<ModelFile> remote, List<Eviction> evictions) throws StoreException {
    List<DownloadPlan.PlannedFile> files = new ArrayList<>();
    Set<String> hosts = new LinkedHashSet<>();
    long toDownload = 0;
    long present = 0;
    Map<Digest, ModelFile> unique = new LinkedHashMap<>();
    remote.forEach(f -> unique.putIfAbsent(f.sha256(), f));
    for (ModelFile f : unique.values()) {
      long partial = Math.min(downloader.partialBytes(f), f.size());
      files.add(new DownloadPlan.PlannedFile(f, partial));
      toDownload += f.size() - partial;
      present += partial;
      f.sources().stream().filter(s -> s.kind() == SourceUri.Kind.HTTP || s.kind() == SourceUri.Kind.OCI)
          .forEach(s -> hosts.add(s.host()));
    }
    long free = store.usage().cacheFree();
    return new DownloadPlan(m, files, toDownload, present, free - toDownload, List.copyOf(hosts), m.license(),
        evictions);
  }

  static ConsentRequiredException notApproved(DownloadPlan plan) {
    return new ConsentRequiredException("the download was not approved (" + plan.summary()
        + "); run again with --yes, or answer yes when asked");
  }

  /** The store, as the downloader sees it: published blobs are checked by their records, not re-hashed. */
  private Destination destination(Store.Install tx) {
    return new Destination() {
      @Override
      public boolean holds(ModelFile file) throws StoreException {
        return tx.missingFiles().stream().noneMatch(f -> f.sha256().equals(file.sha256()));
      }

      @Override
      public void publish(ModelFile file, Path verified) throws StoreException, IntegrityException {
        store.publishVerified(file, verified);
      }
    };
  }

  static boolean hasLocalSource(ModelFile f) {
    return f.sources().stream().anyMatch(s -> (s.kind() == SourceUri.Kind.BUNDLED || s.kind() == SourceUri.Kind.FILE)
        && LocalSource.exists(s));
  }

  /** Copies a file from its first local source that works; the store verifies it while writing. */
  private void copyLocal(ModelFile f) throws AppException, StoreException, IntegrityException {
    List<Exception> failures = new ArrayList<>();
    for (SourceUri s : f.sources()) {
      if (s.kind() != SourceUri.Kind.BUNDLED && s.kind() != SourceUri.Kind.FILE) {
        continue;
      }
      try {
        Optional<InputStream> in = LocalSource.open(s);
        if (in.isEmpty()) {
          failures.add(new IOException(s + " does not exist"));
          continue;
        }
        try (InputStream stream = in.get()) {
          store.putBlob(f, stream, s.toString());
        }
        return;
      } catch (IOException | IntegrityException e) {
        failures.add(e);
      }
    }
    boolean remote = f.sources().stream().anyMatch(s -> s.kind() == SourceUri.Kind.HTTP || s.kind() == SourceUri.Kind.OCI);
    String detail = failures.isEmpty() ? "" : " (" + failures.getLast().getMessage() + ")";
    UnknownModelException e = new UnknownModelException("no source could provide " + f.path() + detail
        + (remote ? "; it must be downloaded: run `soko pull` with consent" : "; check the manifest's sources"));
    failures.forEach(e::addSuppressed);
    throw e;
  }

  /** The installed model, or empty when its ref or manifest is damaged: installing again repairs it. */
  private Optional<InstalledModel> installedOrDamaged(ModelName name) throws StoreException {
    try {
      return store.installed(name);
    } catch (soko.store.ModelIntegrityException | soko.store.StoreConfigException damaged) {
      return Optional.empty();
    }
  }

  /** The installed model whose origin is this digest-pinned reference, if any. */
  private Optional<InstalledModel> installedFrom(OciReference ref) throws StoreException {
    if (ref.digest().isEmpty()) {
      return Optional.empty();
    }
    for (InstalledModel m : store.installed()) {
      if (Registries.isReference(m.origin())) {
        try {
          OciReference o = OciReference.parse(m.origin());
          if (o.registry().equals(ref.registry()) && o.repository().equals(ref.repository())
              && o.digest().equals(ref.digest())) {
            return Optional.of(m);
          }
        } catch (IllegalArgumentException e) {
          // an origin that is not a reference is simply not this one
        }
      }
    }
    return Optional.empty();
  }
}
