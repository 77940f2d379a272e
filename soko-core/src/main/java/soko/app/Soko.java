package soko.app;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import soko.acquisition.AcquisitionException;
import soko.acquisition.Connector;
import soko.acquisition.DownloadSettings;
import soko.acquisition.Downloader;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.catalog.Hardware;
import soko.catalog.Recommendation;
import soko.catalog.TrustedKeys;
import soko.events.ProgressListener;
import soko.inventory.Diagnostics;
import soko.inventory.EngineReport;
import soko.inventory.Inventory;
import soko.inventory.Machine;
import soko.manifest.Manifest;
import soko.manifest.ManifestException;
import soko.manifest.ModelName;
import soko.manifest.SourceUri;
import soko.model.VerifiedModel;
import soko.runtime.EngineProvider;
import soko.runtime.manager.Engines;
import soko.runtime.manager.RuntimeSettings;
import soko.store.CacheClearReport;
import soko.store.FileState;
import soko.store.GcReport;
import soko.store.InstalledModel;
import soko.store.ModelCheck;
import soko.store.Store;
import soko.store.StoreException;
import soko.store.VerifyMode;
import soko.verification.IntegrityException;

/**
 * Soko's Java API: install, list, verify, remove and use models; clear the cache; report
 * diagnostics. Open one per process (several processes may share a store). Thread-safe.
 *
 * <pre>{@code
 * Soko soko = Soko.open(Settings.resolve(System.getenv(), System.getProperties(),
 *     Optional.empty(), Optional.empty(), false));
 * soko.install("silero-vad");
 * VerifiedModel vad = soko.verified("silero-vad"); // hashed only if a file changed
 * }</pre>
 */
// Longer than the 400 lines a class may have: this is the façade, and what stays here is each
// public method's contract (its Javadoc) over a one-line delegation to the package-private service
// that does the work (CatalogService, NameResolver, PullChoices, InstallService, Describer, Imports,
// StorageCleanup, Budgets, Updates, EngineDiscovery), plus the result records callers name as
// Soko.InstallResult, Soko.Resolved, Soko.Prune and Soko.CatalogUpdate.
public final class Soko {
  private final Settings settings;
  private final Store store;
  private final Clock clock;
  private final Properties props;
  /** Every connection this Soko makes goes through it (downloads, registries, catalogs). */
  private final Connector connector;
  private final DownloadSettings downloadSettings;
  private final Downloader downloader;
  private final InstallService installs;
  private final CatalogService catalogService;
  private final PullChoices pullChoices;
  private final NameResolver names;

  private Soko(Settings settings, Store store, Clock clock, Properties props) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.props = props;
    this.downloadSettings = DownloadSettings.DEFAULTS.withHttp(network(DownloadSettings.DEFAULTS.http(), settings.network()))
        .withConnections(settings.network().connections());
    this.connector = new Connector(downloadSettings.http());
    // oci:// sources in catalog manifests are read anonymously over https; `soko pull oci://…`
    // (Registries) brings the registry settings: credentials, plain-http registries.
    this.downloader = new Downloader(store.downloadsDir(), downloadSettings, clock, Map.of(
        SourceUri.Kind.HTTP, Downloader.http(connector, downloadSettings),
        SourceUri.Kind.OCI, new AnonymousRegistries(connector)));
    this.installs = new InstallService(store, downloader, settings.offline(), this::budgetInForce);
    this.catalogService = new CatalogService(this);
    this.pullChoices = new PullChoices(this);
    this.names = new NameResolver(this);
  }

  Clock clock() {
    return clock;
  }

  InstallService installs() {
    return installs;
  }

  Downloader downloader() {
    return downloader;
  }

  /** The proxies and trusted CAs of {@code network} on {@code http}. */
  static soko.acquisition.HttpSettings network(soko.acquisition.HttpSettings http, NetworkSettings network) {
    soko.acquisition.HttpSettings h = http.withTls(new LazyTls(network.trust()));
    return network.proxies().any() ? h.withProxy(network.proxies()) : h;
  }

  /** The connector of every request this Soko makes. */
  Connector connector() {
    return connector;
  }

  DownloadSettings downloadSettings() {
    return downloadSettings;
  }

  /**
   * Opens the store of {@code settings} (creating its folders on first use), with the system clock
   * and the system properties (for probing the machine).
   *
   * @param settings where the store is and how to connect; not null
   * @return a Soko over that store
   * @throws StoreException when the store's roots overlap, its layout is newer or damaged, or its
   *     folders cannot be created or read
   */
  public static Soko open(Settings settings) throws StoreException {
    return open(settings, Clock.systemUTC(), System.getProperties());
  }

  /**
   * Opens the store of {@code settings} with a given time source and system properties.
   *
   * @param settings where the store is and how to connect; not null
   * @param clock the time source of verification records, use marks, pins and catalog expiry checks
   * @param props the properties the machine probe reads ({@code os.name}, {@code os.arch} and the like)
   * @return a Soko over that store
   * @throws StoreException when the store's roots overlap, its layout is newer or damaged, or its
   *     folders cannot be created or read
   */
  public static Soko open(Settings settings, Clock clock, Properties props) throws StoreException {
    return new Soko(settings, Store.open(settings.roots(), clock), clock, props);
  }

  /**
   * Like {@link #open(Settings, Clock, Properties)}, for a computer described by {@code machine}
   * rather than probed: for tests, and for an app that probes the machine itself. Recommendations
   * ({@link #recommend}) and the runtime's defaults then follow {@code machine}.
   *
   * @param settings where the store is and how to connect; not null
   * @param clock the time source of verification records, use marks, pins and catalog expiry checks
   * @param props the properties the machine probe would read (kept for the same uses as above)
   * @param machine the computer to assume instead of probing; not null
   * @return a Soko over that store
   * @throws StoreException when the store's roots overlap, its layout is newer or damaged, or its
   *     folders cannot be created or read
   */
  public static Soko open(Settings settings, Clock clock, Properties props, Machine machine) throws StoreException {
    Soko soko = open(settings, clock, props);
    soko.machine = machine;
    return soko;
  }

  /** Set only by {@link #open(Settings, Clock, Properties, Machine)}; otherwise {@link #machine()} probes. */
  private volatile @org.jspecify.annotations.Nullable Machine machine;

  /**
   * The settings this Soko was opened with.
   *
   * @return the settings; never null
   */
  public Settings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- resolving names

  /**
   * The names of the models shipped inside Soko.
   *
   * @return their names; empty when none is bundled
   */
  public List<String> bundledModels() {
    return names.bundledModels();
  }

  /**
   * A bundled model's manifest.
   *
   * @param name the bundled model's name
   * @return its manifest; empty when no bundled model has that name
   * @throws ManifestException when the bundled manifest is malformed
   */
  public Optional<Manifest> bundledManifest(String name) throws ManifestException {
    return names.bundledManifest(name);
  }

  /**
   * The built-in catalog merged with the remote catalogs last accepted by {@link #updateCatalogs()}.
   * Each stored remote catalog is re-verified (signature, expiry, rollback) when loaded; one that
   * no longer passes is left out and named in {@link #catalogWarnings()}.
   *
   * @return the merged catalogs; never null
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   */
  public Catalogs catalogs() throws CatalogException {
    return catalogService.catalogs();
  }

  /**
   * Why configured remote catalogs are left out of {@link #catalogs()}, one line each.
   *
   * @return one line per catalog left out; empty when none is
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   */
  public List<String> catalogWarnings() throws CatalogException {
    return catalogService.catalogWarnings();
  }

  /** The configured remote catalogs with when each was last fetched (for {@link #outdated()}). */
  List<Outdated.CatalogAge> catalogAges() throws CatalogException {
    return catalogService.catalogAges();
  }

  /**
   * Adds (or replaces) a remote catalog: where to fetch it, the catalog id it must carry, and the
   * publisher keys trusted to sign it. Nothing is fetched until {@link #updateCatalogs()}.
   *
   * @param url where to fetch the signed catalog from
   * @param catalogId the id the catalog must carry; a catalog already configured with it is replaced
   * @param keys the publisher keys trusted to sign it
   * @throws CatalogException when the catalog sources cannot be read or the entry is refused
   * @throws StoreException when the catalog sources cannot be written to the store
   */
  public void addCatalog(URI url, String catalogId, TrustedKeys keys) throws CatalogException, StoreException {
    catalogService.addCatalog(url, catalogId, keys);
  }

  /**
   * The signed catalogs, as last accepted from their configured sources, that list {@code m} with
   * exactly its content: what a bundle carries so that an offline machine can trust {@code m}.
   */
  List<soko.bundle.BundleWriter.CatalogCopy> signedCatalogsListing(Manifest m) throws CatalogException {
    return catalogService.signedCatalogsListing(m);
  }

  /**
   * Takes a signed catalog carried by a bundle as if {@link #updateCatalogs()} had fetched it from
   * the configured source with that catalog id: the same checks (a trusted key's signature, expiry,
   * rollback, no redefined model), and on success it is kept for offline use like a fetched copy.
   *
   * @return one line saying what happened to it
   */
  String acceptCarriedCatalog(String catalogId, byte[] envelope) throws CatalogException {
    return catalogService.acceptCarriedCatalog(catalogId, envelope);
  }

  /**
   * The outcome of fetching one remote catalog.
   *
   * @param catalogId the catalog's id, as configured
   * @param url where it was fetched from
   * @param version the version accepted now; empty when the fetch or a check failed
   * @param error why it was not accepted, one line; empty on success
   */
  public record CatalogUpdate(String catalogId, URI url, OptionalLong version, Optional<String> error) {}

  /**
   * Fetches every configured remote catalog, verifies it (signature by a trusted key, expiry,
   * rollback against the last accepted version, catalog id) and keeps it for offline use. A
   * catalog that fails keeps the previously accepted copy. Refused when offline.
   *
   * @return one outcome per configured catalog, in configuration order; empty when none is configured
   * @throws AppException when offline (no request is made)
   * @throws CatalogException when the catalog sources or stored copies cannot be read or written
   */
  public List<CatalogUpdate> updateCatalogs() throws AppException, CatalogException {
    return catalogService.updateCatalogs();
  }

  /**
   * Finds a model: a bundled name, then an alias (such as {@code ja-asr}: the model recommended for
   * this computer, see {@link #chooseForPull}), a catalog name or {@code name@version}, then a
   * manifest file when {@code nameOrPath} ends with {@code .json} or names an existing file.
   *
   * @param nameOrPath a model name, {@code name@version}, alias or manifest file path
   * @return the manifest and where it was found
   * @throws AppException when nothing has that name ({@link UnknownModelException})
   * @throws ManifestException when a bundled or given manifest is malformed
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   */
  public Resolved resolve(String nameOrPath) throws AppException, ManifestException, CatalogException {
    return names.resolve(nameOrPath);
  }

  /**
   * A manifest and where it came from.
   *
   * @param manifest the model's manifest
   * @param origin where it was found: {@code bundled}, {@code catalog} or {@code file:} and the absolute path
   */
  public record Resolved(Manifest manifest, String origin) {}

  // ---------------------------------------------------------------- recommending

  /**
   * This computer as recommendations see it ({@link #machine()}): its cores, memory (8 GiB when
   * unknown, so that the budget is the runtime's default of 4 GiB) and CPU features.
   *
   * @return this computer's hardware; never null
   */
  public Hardware hardware() {
    return pullChoices.hardware();
  }

  /**
   * The model to pull for {@code alias} on this computer, with the reason and every candidate's
   * estimate ({@link Recommendation#pick} with {@link Recommendation.Limits#forHardware}); empty
   * when {@code alias} is no alias of the catalogs.
   *
   * @param alias an alias of the catalogs, such as {@code ja-asr}
   * @return the pick; empty when {@code alias} is no alias
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   */
  public Optional<Recommendation.Pick> recommend(String alias) throws CatalogException {
    return pullChoices.recommend(alias);
  }

  /**
   * {@link #recommend} for every alias of the catalogs, by alias name.
   *
   * @return the pick of each alias that has one, keyed by alias; empty when the catalogs have no alias
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   */
  public Map<String, Recommendation.Pick> recommendations() throws CatalogException {
    return pullChoices.recommendations();
  }

  /**
   * What {@link #pull} installs for {@code nameOrAlias} when it is an alias of the catalogs: the
   * model recommended for this computer, or {@code model} when given (it must be a candidate of the
   * alias that a catalog lists and that can do the alias's task), or, when nothing can be
   * recommended, the first candidate a catalog lists. Empty when {@code nameOrAlias} is no alias
   * (or when no candidate of it is listed). Running models is another rule: an alias then uses its
   * first installed candidate.
   *
   * @param nameOrAlias what the user asked to pull
   * @param model the candidate chosen by the user; empty to take the recommendation
   * @return the model to install and why; empty when {@code nameOrAlias} is no alias
   * @throws AppException as {@link UnknownModelException}, below
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   * @throws UnknownModelException when {@code model} is given for something that is no alias, or
   *     names no usable candidate; the message lists the candidates
   */
  public Optional<AliasChoice> chooseForPull(String nameOrAlias, Optional<String> model)
      throws AppException, CatalogException {
    return pullChoices.chooseForPull(nameOrAlias, model);
  }

  // ---------------------------------------------------------------- installing

  /**
   * The outcome of an install.
   *
   * @param model the model as installed in the store
   * @param alreadyInstalled true when every file was already present and verified, so nothing was written
   * @param filesWritten the files added to the store by this install
   * @param bytesWritten their total size in bytes
   * @param evicted one line per model the storage budget evicted (or kept) to make room
   */
  public record InstallResult(InstalledModel model, boolean alreadyInstalled, int filesWritten, long bytesWritten,
      List<String> evicted) {
    /**
     * Checks and copies the components.
     *
     * @param model the model as installed in the store
     * @param alreadyInstalled true when nothing was written
     * @param filesWritten the files added to the store, 0 or more
     * @param bytesWritten their total size in bytes
     * @param evicted one line per model evicted or kept; copied, not null
     */
    public InstallResult {
      evicted = List.copyOf(evicted);
    }

    /**
     * A result that evicted nothing.
     *
     * @param model the model as installed in the store
     * @param alreadyInstalled true when nothing was written
     * @param filesWritten the files added to the store, 0 or more
     * @param bytesWritten their total size in bytes
     */
    public InstallResult(InstalledModel model, boolean alreadyInstalled, int filesWritten, long bytesWritten) {
      this(model, alreadyInstalled, filesWritten, bytesWritten, List.of());
    }
  }

  /**
   * Installs a model without downloading: a bundled model, or one whose files have local
   * ({@code bundled:} or {@code file:}) sources. Idempotent; repairs a corrupt model. A model that
   * needs a download is refused with {@link ConsentRequiredException}: use {@link #pull}.
   *
   * @param nameOrPath a model name, {@code name@version}, alias or manifest file path
   * @return what the install did
   * @throws AppException when the name is unknown, or a file needs a download ({@link ConsentRequiredException})
   * @throws ManifestException when a bundled or given manifest is malformed
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws IntegrityException when a file's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a download fails (network, HTTP status, registry, or too large)
   */
  public InstallResult install(String nameOrPath)
      throws AppException, ManifestException, CatalogException, StoreException, IntegrityException, AcquisitionException {
    return pull(nameOrPath, Consent.REFUSE, ProgressListener.NONE);
  }

  /**
   * {@link #install(Manifest, String, Consent, ProgressListener)} without downloads.
   *
   * @param manifest the model to install
   * @param origin where the manifest came from, as in {@link Resolved#origin()}
   * @return what the install did
   * @throws AppException when a file needs a download ({@link ConsentRequiredException}) or has no usable source
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws IntegrityException when a file's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a download fails (network, HTTP status, registry, or too large)
   */
  public InstallResult install(Manifest manifest, String origin)
      throws AppException, StoreException, IntegrityException, AcquisitionException {
    return install(manifest, origin, Consent.REFUSE, ProgressListener.NONE);
  }

  /**
   * Resolves a name, alias or manifest file and installs it, downloading what local sources
   * cannot provide once {@code consent} approves the {@link DownloadPlan}.
   *
   * @param nameOrAlias a model name, {@code name@version}, alias or manifest file path
   * @param consent decides whether the planned downloads may run
   * @param listener told of progress; {@link ProgressListener#NONE} for none
   * @return what the install did
   * @throws AppException when the name is unknown, consent is refused, a file has no usable source,
   *     or the storage budget cannot make room
   * @throws ManifestException when a bundled or given manifest is malformed
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws IntegrityException when a file's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a download fails (network, HTTP status, registry, or too large)
   */
  public InstallResult pull(String nameOrAlias, Consent consent, ProgressListener listener)
      throws AppException, ManifestException, CatalogException, StoreException, IntegrityException, AcquisitionException {
    Resolved r = resolve(nameOrAlias);
    return install(r.manifest(), r.origin(), consent, listener);
  }

  /**
   * What installing {@code nameOrAlias} would download, without downloading anything. An empty
   * plan means it installs from the store or from local sources.
   *
   * @param nameOrAlias a model name, {@code name@version}, alias or manifest file path
   * @return the downloads and evictions an install would need
   * @throws AppException when the name is unknown, or the budget cannot make room ({@link BudgetException})
   * @throws ManifestException when a bundled or given manifest is malformed
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   */
  public DownloadPlan plan(String nameOrAlias)
      throws AppException, ManifestException, CatalogException, StoreException {
    return plan(resolve(nameOrAlias).manifest());
  }

  /**
   * What {@link #install(Manifest, String, Consent, ProgressListener)} of {@code m} would download:
   * for an installed model, what repairing it would fetch (its missing and corrupt files only).
   *
   * @param m the model's manifest
   * @return the downloads and evictions an install would need
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws BudgetException when evicting everything that may go would not make room for the download
   */
  public DownloadPlan plan(Manifest m) throws StoreException, BudgetException {
    return installs.planWithEvictions(m);
  }

  /**
   * Installs a model: files already in the store are kept, local sources are copied, and the rest
   * is downloaded once {@code consent} approves. Every byte is verified as it is written; a model
   * is recorded as installed only when all its files are in the store. Offline, or without
   * consent, no network request is made. The rules are {@link InstallService}'s, the same for
   * every way a model comes in.
   *
   * @param manifest the model to install
   * @param origin where the manifest came from, as in {@link Resolved#origin()}
   * @param consent decides whether the planned downloads may run
   * @param listener told of progress; {@link ProgressListener#NONE} for none
   * @return what the install did
   * @throws AppException when consent is refused, a file has no usable source, or the storage budget
   *     cannot make room
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws IntegrityException when a file's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a download fails (network, HTTP status, registry, or too large)
   */
  public InstallResult install(Manifest manifest, String origin, Consent consent, ProgressListener listener)
      throws AppException, StoreException, IntegrityException, AcquisitionException {
    return installs.install(manifest, origin, consent, listener);
  }

  // ---------------------------------------------------------------- describing

  /**
   * Everything about one model (see {@link ModelDescription}): an installed name describes the
   * installed model; an alias describes the model pulling it would install on this computer;
   * otherwise the catalog's (or a manifest file's) model. Hashes nothing and sends nothing.
   *
   * @param nameOrAlias an installed name, alias, catalog name or manifest file path
   * @return the description
   * @throws AppException as {@link UnknownModelException}, below
   * @throws ManifestException when a bundled or given manifest is malformed
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws UnknownModelException when nothing has that name
   */
  public ModelDescription describe(String nameOrAlias)
      throws AppException, ManifestException, CatalogException, StoreException {
    return Describer.describe(this, nameOrAlias);
  }

  // ---------------------------------------------------------------- importing

  /** Files a folder given to {@link #importFiles} may hold, at most; the rest is not looked at. */
  public static final int MAX_IMPORT_FILES = 10_000;

  /**
   * Adopts a file (or the files of a folder) the user already has: the catalog model with a file of
   * the same size and sha256 is installed, its matching files copied from {@code path} and verified
   * as they are written, the others downloaded once {@code consent} approves. Sizes are compared
   * first; only a file whose size matches a catalog file is hashed. The user's files are read,
   * never moved, linked or changed (a hard link would share the store's read-only mode and any
   * later edit with the user's copy). Symbolic links are not followed.
   *
   * @param as the model (NAME or NAME@VERSION of the catalogs) to install, when several match or to
   *     check that the file is that model's
   * @param path a file or folder of the user's
   * @param consent decides whether the files not found under {@code path} may be downloaded
   * @param listener told of progress; {@link ProgressListener#NONE} for none
   * @return what the install did
   * @throws AppException as {@link UnknownModelException}, below, or when consent is refused
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws IntegrityException when a file's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a download fails (network, HTTP status, registry, or too large)
   * @throws ManifestException when a manifest involved is malformed
   * @throws UnknownModelException when no catalog model has such a file, or several do and {@code as} is empty
   */
  public InstallResult importFiles(Path path, Optional<String> as, Consent consent, ProgressListener listener)
      throws AppException, CatalogException, StoreException, IntegrityException, AcquisitionException,
      ManifestException {
    return Imports.importFiles(this, path, as, consent, listener);
  }

  // ---------------------------------------------------------------- listing and verifying

  /**
   * Installed models with their state, without hashing anything.
   *
   * @return one check per installed model; empty when none is installed
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   */
  public List<ModelCheck> list() throws StoreException {
    return store.checkWithoutHashing(store.installed());
  }

  /**
   * Verifies one model or all. Unchanged files cost a {@code stat}; {@code full} re-hashes everything,
   * one file per core at a time across all the models.
   *
   * @param name the model to verify; empty for all installed models
   * @param full true to re-hash every file, false to hash only files whose size or time changed
   * @return one check per model verified
   * @throws StoreException when {@code name} is not installed ({@link soko.store.ModelNotInstalledException})
   *     or the store cannot be read
   */
  public List<ModelCheck> verify(Optional<String> name, boolean full) throws StoreException {
    return verify(name, full ? VerifyMode.FULL : VerifyMode.CACHED);
  }

  /**
   * Verifies one model or all with the given mode: {@link VerifyMode#FULL} checks a large file's
   * chunks on every core against its chunk records, {@link VerifyMode#WHOLE} hashes each file as
   * one stream ({@code soko verify --full --whole}).
   *
   * @param name the model to verify; empty for all installed models (a model another process removes
   *     meanwhile is then left out)
   * @param mode how much to hash
   * @return one check per model verified
   * @throws StoreException when {@code name} is not installed ({@link soko.store.ModelNotInstalledException})
   *     or the store cannot be read
   */
  public List<ModelCheck> verify(Optional<String> name, VerifyMode mode) throws StoreException {
    List<InstalledModel> models = name.isPresent()
        ? List.of(store.require(parseName(name.get())))
        : store.installed();
    // One call, so a full verify of several models hashes their files across all cores.
    List<ModelCheck> checks = store.check(models, mode);
    if (name.isPresent() || checks.stream().allMatch(c -> c.state() == FileState.VERIFIED)) {
      return checks;
    }
    // Another process may have removed a model while its files were checked (`soko rm`, gc): that
    // model is gone, not damaged, so it is left out instead of reported as missing files.
    java.util.Set<String> still = new java.util.HashSet<>();
    store.installed().forEach(m -> still.add(m.manifest().id()));
    return checks.stream().filter(c -> c.state() == FileState.VERIFIED || still.contains(c.model().manifest().id()))
        .toList();
  }

  /**
   * The verified files of an installed model, for an engine. Refuses a corrupt or incomplete model
   * with a message that says how to repair it.
   *
   * @param name the installed model's name
   * @return its verified files
   * @throws StoreException when the model is not installed, is corrupt or incomplete, or the store
   *     cannot be read
   */
  public VerifiedModel verified(String name) throws StoreException {
    return store.verified(parseName(name), VerifyMode.CACHED);
  }

  /**
   * What {@link #remove} of {@code name} would free, changing nothing. A blob another installed
   * model names is kept; a missing blob frees nothing.
   *
   * @param name the installed model's name
   * @return what would be deleted and freed
   * @throws StoreException when the model is not installed or the store cannot be read
   */
  public RemovalPlan planRemoval(String name) throws StoreException {
    return StorageCleanup.planRemoval(this, name);
  }

  /**
   * Uninstalls a model and deletes the blobs no other installed model uses; finishes an interrupted
   * removal of the same name ({@link Store#remove}).
   *
   * @param name the model's name
   * @return what was deleted, the bytes freed, and notices
   * @throws StoreException when the model is neither installed nor being removed, another process
   *     holds the lock too long, or the store's files cannot be read or deleted
   */
  public GcReport remove(String name) throws StoreException {
    return store.remove(parseName(name));
  }

  /**
   * Deletes what no installed model uses: orphan blobs, quarantined files, day-old temp files; also
   * finishes interrupted removals ({@link Store#gc}).
   *
   * @param dryRun true to only report what would be removed
   * @return what was (or would be) removed and the bytes that frees
   * @throws StoreException when another process holds the lock too long, or the store's files
   *     cannot be read or deleted
   */
  public GcReport gc(boolean dryRun) throws StoreException {
    return store.gc(dryRun);
  }

  /**
   * Empties the cache root, partial downloads included; a download running in another process
   * keeps its partial file.
   *
   * @param dryRun true to only report what would be deleted
   * @return what was (or would be) deleted and the bytes that frees
   * @throws StoreException when the cache root cannot be read or a file in it cannot be deleted
   */
  public CacheClearReport clearCache(boolean dryRun) throws StoreException {
    return StorageCleanup.clearCache(this, dryRun, java.util.Set.of());
  }

  /**
   * As {@link #clearCache(boolean)}, keeping the given files and folders of the cache root: this
   * process's own uploads in progress, which a lock cannot show to the process that holds it.
   *
   * @param dryRun true to only report what would be deleted
   * @param keep files or folders inside the cache root to leave in place; may be empty
   * @return what was (or would be) deleted and the bytes that frees
   * @throws StoreException when the cache root cannot be read or a file in it cannot be deleted
   */
  public CacheClearReport clearCache(boolean dryRun, java.util.Set<Path> keep) throws StoreException {
    return StorageCleanup.clearCache(this, dryRun, keep);
  }

  /**
   * True when the model is installed and every file is verified by its record. Hashes nothing.
   *
   * @param name the model's name
   * @return false when it is not installed, or a file is missing, changed or unverified
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   */
  public boolean isVerified(String name) throws StoreException {
    Optional<InstalledModel> m = store.installed(parseName(name));
    return m.isPresent() && store.checkWithoutHashing(m.get()).state() == FileState.VERIFIED;
  }

  // ---------------------------------------------------------------- budget and updates

  /** The environment variable that overrides the {@code budget} setting, such as {@code SOKO_BUDGET=20GiB}. */
  public static final String ENV_BUDGET = "SOKO_BUDGET";

  /**
   * The settings file that {@code soko config} reads and writes.
   *
   * @return a new handle on the store's settings file (read at each use)
   */
  public ConfigFile config() {
    return new ConfigFile(store.settingsFile());
  }

  /**
   * The storage budget in force: {@code SOKO_BUDGET} when set (in {@link Settings#environment()}),
   * else the {@code budget} setting; none by default (nothing is ever evicted).
   *
   * @return the budget and where it was set; empty when none is set
   * @throws InvalidSettingException when the value in force is not a size
   */
  public Optional<BudgetSetting> budget() {
    return Budgets.inForce(this);
  }

  /**
   * What the budget counts now: installed models and versions kept for rollback, each shared blob once.
   *
   * @return bytes, 0 or more
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   */
  public long budgetUse() throws StoreException {
    return Evictions.used(store);
  }

  private Optional<StorageBudget> budgetInForce() {
    return budget().map(BudgetSetting::budget);
  }

  /**
   * What the budget counts now and what {@link #prune} would evict to get within it.
   *
   * @throws BudgetException when no budget is set, or evicting everything that may go is not enough
   *     (the message names what would have to go)
   * @return the budget, its use and the planned evictions
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   */
  public Prune prunePlan() throws StoreException, BudgetException {
    return Budgets.prunePlan(this);
  }

  /**
   * Evicts least recently used models (and versions kept for rollback) until the store is within
   * the budget: never a model in use, bundled or marked keep.
   *
   * @param dryRun true to only plan, evicting nothing
   * @return the budget, its use before, the evictions and what was done
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws BudgetException when no budget is set, or evicting everything that may go is not enough
   */
  public Prune prune(boolean dryRun) throws StoreException, BudgetException {
    return Budgets.prune(this, dryRun);
  }

  /**
   * What a prune plans or did.
   *
   * @param budget the budget in force and where it was set
   * @param used bytes the budget counted before
   * @param evictions what goes (or would go), in order
   * @param done one line per eviction done or skipped; empty for a dry run
   */
  public record Prune(BudgetSetting budget, long used, List<Eviction> evictions, List<String> done) {
    /**
     * Copies the lists.
     *
     * @param budget the budget in force
     * @param used bytes the budget counted before
     * @param evictions what goes, in order; copied, not null
     * @param done one line per eviction done or skipped; copied, not null
     */
    public Prune {
      evictions = List.copyOf(evictions);
      done = List.copyOf(done);
    }

    /**
     * The bytes the evictions free (or would free).
     *
     * @return the sum of the evictions' sizes, 0 or more
     */
    public long freed() {
      return evictions.stream().mapToLong(Eviction::bytes).sum();
    }
  }

  /**
   * Marks an installed model keep (the budget never evicts it), or unmarks it.
   *
   * @param name the model's name
   * @param keep true to mark it, false to unmark it
   * @throws StoreException when marking a model that is not installed, or the store cannot be written
   */
  public void keep(String name, boolean keep) throws StoreException {
    ModelName n = parseName(name);
    if (keep) {
      store.require(n);
    }
    store.keep(n, keep);
  }

  /**
   * Installed models whose catalog lists a newer version, and aliases with a better pick. No network.
   *
   * @return the outdated models and aliases; both lists empty when everything is current
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   */
  public Outdated outdated() throws StoreException, CatalogException {
    return Updates.outdated(this);
  }

  /**
   * What {@link #update} would download and evict, without writing anything; empty when the
   * catalogs list nothing newer.
   *
   * @param name an installed model's name or an alias
   * @return the plan; empty when nothing newer is listed
   * @throws AppException when {@code name} is neither installed nor an alias, or the budget cannot make room
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   */
  public Optional<DownloadPlan> updatePlan(String name) throws AppException, StoreException, CatalogException {
    return Updates.updatePlan(this, name);
  }

  /**
   * Installs the newest version the catalogs list for an installed model (or, for an alias with a
   * better pick, the model recommended for this computer) beside the installed one, and switches
   * the name to it once it verifies; the replaced version stays for {@link #rollback} until gc, a
   * removal or the budget drops it. A licence change needs the new licence accepted by name.
   *
   * @param name an installed model's name or an alias
   * @param consent decides whether the downloads, and a changed licence, are accepted
   * @param listener told of progress; {@link ProgressListener#NONE} for none
   * @return empty when nothing newer is listed
   * @throws AppException when {@code name} is unknown, consent is refused, or the budget cannot make room
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws CatalogException when a catalog, or the stored catalog state, cannot be read or used
   * @throws IntegrityException when a file's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a download fails (network, HTTP status, registry, or too large)
   * @throws ConsentRequiredException when the licence changes and {@code consent} does not accept the new one
   */
  public Optional<InstallResult> update(String name, Consent consent, ProgressListener listener)
      throws AppException, StoreException, CatalogException, IntegrityException, AcquisitionException {
    return Updates.update(this, name, consent, listener);
  }

  /** What installing {@code m} downloads, evictions aside. */
  long downloadBytes(Manifest m) throws StoreException {
    return installs.plan(m).bytesToDownload();
  }

  /**
   * Switches a model back to the version an update replaced, once that version verifies; the
   * version left becomes the previous one (a second rollback goes forward again).
   *
   * @param name the model's name
   * @return the model as installed now
   * @throws StoreException when the model is not installed, has no previous version, that version
   *     does not verify, or the store cannot be written
   */
  public InstalledModel rollback(String name) throws StoreException {
    return store.rollback(parseName(name));
  }

  // ---------------------------------------------------------------- diagnostics

  /**
   * This computer: the one given to {@link #open(Settings, Clock, Properties, Machine)}, or else
   * probed anew at each call.
   *
   * @return the machine; never null
   */
  public Machine machine() {
    Machine given = machine;
    return given != null ? given : MachineProbe.probe(props);
  }

  /**
   * Engine providers found on the class path.
   *
   * @return the providers; empty when no engine module is present
   */
  public List<EngineProvider> engineProviders() {
    return EngineDiscovery.providers();
  }

  /**
   * The engines, as Diagnostics shows them.
   *
   * @return one report per engine; empty when no engine module is present
   */
  public List<EngineReport> engines() {
    return EngineDiscovery.reports();
  }

  /**
   * The diagnostics report: store, settings origin, machine and engines. Reads the store, hashes
   * nothing and sends nothing.
   *
   * @return the report
   * @throws StoreException when the store cannot be read
   */
  public Diagnostics diagnostics() throws StoreException {
    // The engines' probes (class loading, native libraries) run while the store is read.
    java.util.concurrent.CompletableFuture<List<EngineReport>> engines = java.util.concurrent.CompletableFuture
        .supplyAsync(this::engines, r -> Thread.ofPlatform().name("soko-engine-probe").daemon().start(r));
    return Inventory.report(store, settings.origin(), machine(), () -> {
      try {
        return engines.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }, clock);
  }

  /**
   * The store this Soko opened, for the callers that need its lower-level operations.
   *
   * @return the store; never null
   */
  public Store store() {
    return store;
  }

  static ModelName parseName(String name) throws StoreException {
    try {
      return ModelName.parse(name);
    } catch (IllegalArgumentException e) {
      throw new soko.store.ModelNotInstalledException(name);
    }
  }

  // ---------------------------------------------------------------- running models

  private volatile Engines runtime;

  /**
   * The runtime manager that runs installed models: one per Soko, created on first use with
   * {@link RuntimeSettings} from {@link Settings#environment()} (the variables are listed there)
   * over this machine's defaults.
   *
   * @return the runtime manager; the same one at every call
   * @throws InvalidSettingException when a runtime setting has an unusable value
   */
  public Engines runtime() {
    Engines r = runtime;
    if (r == null) {
      synchronized (this) {
        r = runtime;
        if (r == null) {
          Machine m = machine();
          r = new Engines(store, this::catalogs, settings.offline(), RuntimeEnvironment.resolve(settings.environment(), m),
              m, engineProviders(), EngineDiscovery.cloudProviders(), clock, true);
          runtime = r;
        }
      }
    }
    return r;
  }
}
