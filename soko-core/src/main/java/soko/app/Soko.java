package soko.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import soko.acquisition.AcquisitionException;
import soko.acquisition.Connector;
import soko.acquisition.DownloadSettings;
import soko.acquisition.Downloader;
import soko.acquisition.LocalSource;
import soko.acquisition.Partial;
import soko.acquisition.Transport;
import soko.acquisition.oci.OciClient;
import soko.acquisition.oci.OciSettings;
import soko.events.ProgressListener;
import java.net.URI;
import java.util.OptionalLong;
import soko.acquisition.DocumentFetcher;
import soko.catalog.BuiltinCatalog;
import soko.catalog.Catalog;
import soko.catalog.CatalogTrust;
import soko.catalog.TrustedKeys;
import soko.internal.io.AtomicFiles;
import soko.catalog.Alias;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
import soko.catalog.Hardware;
import soko.catalog.Recommendation;
import soko.inventory.Diagnostics;
import soko.inventory.EngineReport;
import soko.inventory.Inventory;
import soko.inventory.Machine;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.SourceUri;
import soko.model.VerifiedModel;
import soko.runtime.EngineInfo;
import soko.runtime.EngineProvider;
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
  }

  /**
   * Registry blobs named by catalog manifests, read anonymously over https; the registry client is
   * made on first use (most commands never download).
   */
  private static final class AnonymousRegistries implements Transport {
    private final Connector connector;
    private volatile Transport blobs;

    AnonymousRegistries(Connector connector) {
      this.connector = connector;
    }

    private Transport blobs() {
      Transport t = blobs;
      if (t == null) {
        t = new OciClient(OciSettings.defaults(), connector).blobTransport();
        blobs = t;
      }
      return t;
    }

    @Override
    public boolean contentAddressed() {
      return true;
    }

    @Override
    public soko.acquisition.HttpResponse get(Request request) throws IOException, soko.acquisition.TransferException {
      return blobs().get(request);
    }

    @Override
    public Optional<String> advice(int status) {
      return blobs().advice(status);
    }
  }

  /** The proxies and trusted CAs of {@code network} on {@code http}. */
  static soko.acquisition.HttpSettings network(soko.acquisition.HttpSettings http, NetworkSettings network) {
    soko.acquisition.HttpSettings h = http.withTls(network.trust().context());
    return network.proxies().any() ? h.withProxy(network.proxies()) : h;
  }

  /** The connector of every request this Soko makes. */
  Connector connector() {
    return connector;
  }

  DownloadSettings downloadSettings() {
    return downloadSettings;
  }

  public static Soko open(Settings settings) throws StoreException {
    return open(settings, Clock.systemUTC(), System.getProperties());
  }

  public static Soko open(Settings settings, Clock clock, Properties props) throws StoreException {
    return new Soko(settings, Store.open(settings.roots(), clock), clock, props);
  }

  /**
   * Like {@link #open(Settings, Clock, Properties)}, for a computer described by {@code machine}
   * rather than probed: for tests, and for an app that probes the machine itself. Recommendations
   * ({@link #recommend}) and the runtime's defaults then follow {@code machine}.
   */
  public static Soko open(Settings settings, Clock clock, Properties props, Machine machine) throws StoreException {
    Soko soko = open(settings, clock, props);
    soko.machine = machine;
    return soko;
  }

  /** Set only by {@link #open(Settings, Clock, Properties, Machine)}; otherwise {@link #machine()} probes. */
  private volatile @org.jspecify.annotations.Nullable Machine machine;

  public Settings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- resolving names

  /** The names of the models shipped inside Soko. */
  public List<String> bundledModels() {
    try {
      Optional<byte[]> index = LocalSource.readBundled("index.txt", 64 * 1024);
      if (index.isEmpty()) {
        return List.of();
      }
      return new String(index.get(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A bundled model's manifest. */
  public Optional<Manifest> bundledManifest(String name) throws ManifestException {
    if (!bundledModels().contains(name)) {
      return Optional.empty();
    }
    try {
      Optional<byte[]> bytes = LocalSource.readBundled(name + "/manifest.json", ManifestCodec.MAX_BYTES);
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(ManifestCodec.parse(bytes.get(), "bundled:" + name + "/manifest.json"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The built-in catalog merged with the remote catalogs last accepted by {@link #updateCatalogs()}.
   * Each stored remote catalog is re-verified (signature, expiry, rollback) when loaded; one that
   * no longer passes is left out and named in {@link #catalogWarnings()}.
   */
  public Catalogs catalogs() throws CatalogException {
    Catalogs c = catalogs;
    if (c == null) {
      List<String> warnings = new ArrayList<>();
      c = Catalogs.of(BuiltinCatalog.load(), List.of());
      for (CatalogSources.Configured source : configuredCatalogs()) {
        Path env = catalogSources().envelope(source);
        if (!Files.exists(env)) {
          warnings.add("catalog " + source.catalogId() + " (" + source.url() + ") was never fetched: run `soko catalog update`");
          continue;
        }
        c = withStored(c, source, warnings);
      }
      catalogWarnings = List.copyOf(warnings);
      catalogs = c;
    }
    return c;
  }

  /**
   * {@code above} with the last accepted catalog of {@code source} merged in, re-verified against
   * {@code above}; {@code above} alone (and a warning) when it no longer passes, so that one bad
   * catalog never takes the others down with it.
   */
  private Catalogs withStored(Catalogs above, CatalogSources.Configured source, List<String> warnings) {
    Path env = catalogSources().envelope(source);
    if (!Files.exists(env)) {
      return above;
    }
    try {
      return above.with(trust(source).accept(source.source(), above, Files.readAllBytes(env)));
    } catch (soko.catalog.CatalogConflictException e) {
      warnings.add(e.getMessage() + "; it is left out");
      return above;
    } catch (CatalogException | IOException e) {
      warnings.add(e.getMessage() + " (run `soko catalog update`)");
      return above;
    }
  }

  private volatile Catalogs catalogs;
  private volatile List<String> catalogWarnings = List.of();

  /** Why configured remote catalogs are left out of {@link #catalogs()}, one line each. */
  public List<String> catalogWarnings() throws CatalogException {
    catalogs();
    return catalogWarnings;
  }

  private CatalogSources catalogSources() {
    return new CatalogSources(store.roots().data().resolve("state"));
  }

  private CatalogTrust trust(CatalogSources.Configured source) {
    return new CatalogTrust(source.keys(), clock, store.catalogStateDir());
  }

  private List<CatalogSources.Configured> configuredCatalogs() throws CatalogException {
    try {
      return catalogSources().read();
    } catch (IOException | soko.internal.json.JsonProblem e) {
      throw new soko.catalog.CatalogStateException(store.roots().data().resolve("state/catalog-sources.json"),
          "(the configured catalog sources) is damaged (" + e.getMessage() + "): remove it and add the catalogs again", e);
    }
  }

  /**
   * Adds (or replaces) a remote catalog: where to fetch it, the catalog id it must carry, and the
   * publisher keys trusted to sign it. Nothing is fetched until {@link #updateCatalogs()}.
   */
  public void addCatalog(URI url, String catalogId, TrustedKeys keys) throws CatalogException, StoreException {
    CatalogSources.Configured added = new CatalogSources.Configured(catalogId, url, keys);
    added.source(); // validates the id
    List<CatalogSources.Configured> all = new ArrayList<>();
    for (CatalogSources.Configured c : configuredCatalogs()) {
      if (!c.catalogId().equals(catalogId)) {
        all.add(c);
      }
    }
    all.add(added);
    try {
      catalogSources().write(all);
    } catch (IOException e) {
      throw new soko.store.StoreIOException("cannot save the catalog sources", e);
    }
    catalogs = null;
  }

  /**
   * The signed catalogs, as last accepted from their configured sources, that list {@code m} with
   * exactly its content: what a bundle carries so that an offline machine can trust {@code m}.
   */
  List<soko.bundle.BundleWriter.CatalogCopy> signedCatalogsListing(Manifest m) throws CatalogException {
    List<soko.bundle.BundleWriter.CatalogCopy> out = new ArrayList<>();
    for (soko.catalog.CatalogEntry e : catalogs().models()) {
      if (!e.manifest().id().equals(m.id()) || !Bundles.sameModel(e.manifest(), m)) {
        continue;
      }
      for (CatalogSources.Configured c : configuredCatalogs()) {
        Path env = catalogSources().envelope(c);
        if (e.catalogIds().contains(c.catalogId()) && Files.isRegularFile(env)) {
          try {
            out.add(new soko.bundle.BundleWriter.CatalogCopy(c.catalogId(), Files.readAllBytes(env)));
          } catch (IOException ex) {
            throw new soko.catalog.CatalogStateException(env, "cannot be read (" + ex.getMessage() + ")", ex);
          }
        }
      }
    }
    return out;
  }

  /**
   * Takes a signed catalog carried by a bundle as if {@link #updateCatalogs()} had fetched it from
   * the configured source with that catalog id: the same checks (a trusted key's signature, expiry,
   * rollback, no redefined model), and on success it is kept for offline use like a fetched copy.
   *
   * @return one line saying what happened to it
   */
  String acceptCarriedCatalog(String catalogId, byte[] envelope) throws CatalogException {
    Catalogs above = Catalogs.of(BuiltinCatalog.load(), List.of());
    for (CatalogSources.Configured c : configuredCatalogs()) {
      if (!c.catalogId().equals(catalogId)) {
        above = withStored(above, c, new ArrayList<>());
        continue;
      }
      try {
        Catalog accepted = trust(c).accept(c.source(), above, envelope);
        AtomicFiles.replace(catalogSources().envelope(c), envelope);
        catalogs = null;
        return "catalog " + catalogId + " version " + accepted.version() + " from the bundle verified and kept";
      } catch (soko.catalog.CatalogRollbackException e) {
        return "catalog " + catalogId + " in the bundle is older than the copy this machine has, which stays in use ("
            + e.getMessage() + ")";
      } catch (CatalogException e) {
        return "catalog " + catalogId + " in the bundle was refused: " + e.getMessage();
      } catch (IOException e) {
        throw new soko.catalog.CatalogStateException(catalogSources().envelope(c), "cannot be written (" + e.getMessage()
            + ")", e);
      }
    }
    return "the bundle carries catalog " + catalogId + ", which this machine is not configured to trust; to use it, run"
        + " `soko catalog add URL --id " + catalogId + " --trust KEY.pub.json` first";
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
   */
  public List<CatalogUpdate> updateCatalogs() throws AppException, CatalogException {
    List<CatalogUpdate> out = new ArrayList<>();
    List<CatalogSources.Configured> sources = configuredCatalogs();
    if (settings.offline() && sources.stream().anyMatch(c -> !"file".equalsIgnoreCase(c.url().getScheme()))) {
      throw new ConsentRequiredException("offline: updating catalogs needs the network; run without --offline"
          + " (and unset SOKO_OFFLINE)");
    }
    DocumentFetcher fetcher = new DocumentFetcher(connector);
    // Each catalog is checked against those in force above it: the built-in one and the sources
    // configured before it (the new copy when it was accepted, else the one kept from before).
    Catalogs above = Catalogs.of(BuiltinCatalog.load(), List.of());
    for (CatalogSources.Configured c : sources) {
      try {
        byte[] bytes = fetcher.fetch(c.url(), soko.catalog.CatalogCodec.MAX_BYTES * 2);
        Catalog accepted = trust(c).accept(c.source(), above, bytes);
        AtomicFiles.replace(catalogSources().envelope(c), bytes);
        out.add(new CatalogUpdate(c.catalogId(), c.url(), OptionalLong.of(accepted.version()), Optional.empty()));
        above = above.with(accepted);
      } catch (IOException | CatalogException | RuntimeException e) {
        // One bad source never stops the others from updating.
        out.add(new CatalogUpdate(c.catalogId(), c.url(), OptionalLong.empty(),
            Optional.of("catalog " + c.catalogId() + " (" + c.url() + "): " + e.getMessage()
                + (e instanceof soko.catalog.CatalogConflictException
                    ? "; it was refused, and the copy accepted before (if any) stays in use" : ""))));
        above = withStored(above, c, new ArrayList<>());
      }
    }
    catalogs = null;
    return out;
  }

  /**
   * Finds a model: a bundled name, then an alias (such as {@code ja-asr}: the model recommended for
   * this computer, see {@link #chooseForPull}), a catalog name or {@code name@version}, then a
   * manifest file when {@code nameOrPath} ends with {@code .json} or names an existing file.
   */
  public Resolved resolve(String nameOrPath) throws AppException, ManifestException, CatalogException {
    Optional<Manifest> bundled = bundledManifest(nameOrPath);
    if (bundled.isPresent()) {
      return new Resolved(bundled.get(), "bundled");
    }
    if (!nameOrPath.endsWith(".json")) {
      Optional<AliasChoice> chosen = chooseForPull(nameOrPath, Optional.empty());
      if (chosen.isPresent()) {
        Manifest m = chosen.get().manifest();
        return new Resolved(m, m.bundled() ? "bundled" : "catalog");
      }
      Optional<soko.catalog.Resolution> r = catalogs().resolve(nameOrPath);
      if (r.isPresent()) {
        Manifest m = r.get().manifest();
        return new Resolved(m, m.bundled() ? "bundled" : "catalog");
      }
    }
    Path p = Path.of(nameOrPath);
    if (nameOrPath.endsWith(".json") || Files.isRegularFile(p)) {
      byte[] bytes;
      // Never opens a FIFO (reading would block forever) or a device: RegularFiles checks first.
      try {
        long size = soko.internal.io.RegularFiles.size(p);
        if (size > ManifestCodec.MAX_BYTES) {
          throw new ManifestException(nameOrPath, "", "the manifest is " + size + " bytes; the limit is "
              + ManifestCodec.MAX_BYTES + " bytes, so this is not a manifest", null);
        }
        try (java.io.InputStream in = soko.internal.io.RegularFiles.open(p)) {
          bytes = in.readNBytes(ManifestCodec.MAX_BYTES + 1); // it may have grown since
        }
        if (bytes.length > ManifestCodec.MAX_BYTES) {
          throw new ManifestException(nameOrPath, "", "the manifest grew past the limit of " + ManifestCodec.MAX_BYTES
              + " bytes while it was read, so this is not a manifest", null);
        }
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UnknownModelException("the manifest " + nameOrPath + " does not exist; give the path of a manifest"
            + " .json file, or a model name (`soko catalog` lists them)");
      } catch (soko.internal.io.RegularFiles.NotRegularFileException e) {
        throw new UnknownModelException("cannot read the manifest " + nameOrPath + ": it is not a regular file but "
            + e.kind() + "; give a manifest .json file");
      } catch (IOException e) {
        throw new UnknownModelException("cannot read the manifest " + nameOrPath + ": " + e.getMessage());
      }
      return new Resolved(ManifestCodec.parse(bytes, nameOrPath), "file:" + p.toAbsolutePath().normalize());
    }
    throw new UnknownModelException("no model or alias named \"" + nameOrPath + "\": run `soko catalog` to see what"
        + " is available, or give a path to a manifest .json file");
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
   */
  public Hardware hardware() {
    Machine m = machine();
    long memory = m.memoryBytes() > 0 ? m.memoryBytes() : 2 * RuntimeSettings.DEFAULT_MEMORY_BUDGET;
    return Hardware.of(Math.max(1, m.cores()), memory, m.cpuFeatures());
  }

  /**
   * The model to pull for {@code alias} on this computer, with the reason and every candidate's
   * estimate ({@link Recommendation#pick} with {@link Recommendation.Limits#forHardware}); empty
   * when {@code alias} is no alias of the catalogs.
   */
  public Optional<Recommendation.Pick> recommend(String alias) throws CatalogException {
    Optional<Alias> a = catalogs().alias(alias);
    if (a.isEmpty()) {
      return Optional.empty();
    }
    Hardware hw = hardware();
    return Optional.of(Recommendation.pick(a.get(), catalogs(), hw, Recommendation.Limits.forHardware(hw)));
  }

  /** {@link #recommend} for every alias of the catalogs, by alias name. */
  public Map<String, Recommendation.Pick> recommendations() throws CatalogException {
    Hardware hw = hardware();
    Map<String, Recommendation.Pick> out = new java.util.LinkedHashMap<>();
    for (soko.catalog.AliasEntry a : catalogs().aliases()) {
      out.put(a.alias().name(), Recommendation.pick(a.alias(), catalogs(), hw, Recommendation.Limits.forHardware(hw)));
    }
    return out;
  }

  /**
   * What {@link #pull} installs for {@code nameOrAlias} when it is an alias of the catalogs: the
   * model recommended for this computer, or {@code model} when given (it must be a candidate of the
   * alias that a catalog lists and that can do the alias's task), or, when nothing can be
   * recommended, the first candidate a catalog lists. Empty when {@code nameOrAlias} is no alias
   * (or when no candidate of it is listed). Running models is another rule: an alias then uses its
   * first installed candidate.
   *
   * @throws UnknownModelException when {@code model} is given for something that is no alias, or
   *     names no usable candidate; the message lists the candidates
   */
  public Optional<AliasChoice> chooseForPull(String nameOrAlias, Optional<String> model)
      throws AppException, CatalogException {
    Catalogs c = catalogs();
    Optional<Alias> found = c.alias(nameOrAlias);
    if (found.isEmpty()) {
      if (model.isPresent()) {
        throw new UnknownModelException("--model chooses among the candidates of an alias, and \"" + nameOrAlias
            + "\" is no alias: run `soko catalog` to see the aliases, or pull the model by its name");
      }
      return Optional.empty();
    }
    Alias alias = found.get();
    Hardware hw = hardware();
    Recommendation.Limits limits = Recommendation.Limits.forHardware(hw);
    Recommendation.Pick pick = Recommendation.pick(alias, c, hw, limits);
    List<Manifest> usable = alias.candidates().stream().map(c::model).flatMap(Optional::stream)
        .filter(alias::servedBy).toList();
    if (model.isPresent()) {
      Optional<Manifest> named = usable.stream().filter(m -> m.name().value().equals(model.get())).findFirst();
      if (named.isEmpty()) {
        String listed = usable.isEmpty() ? "none is in a catalog"
            : String.join(", ", usable.stream().map(m -> m.name().value()).toList());
        String what = alias.candidates().stream().anyMatch(n -> n.value().equals(model.get()))
            ? "is a candidate of " + alias.name() + " that no catalog lists" : "is not a candidate of " + alias.name();
        throw new UnknownModelException("--model " + model.get() + " " + what + " (" + alias.task()
            + "); the candidates you can pull: " + listed);
      }
      return Optional.of(new AliasChoice(alias, named.get(), AliasChoice.How.NAMED, pick, hw, limits));
    }
    if (pick.model().isPresent()) {
      return Optional.of(new AliasChoice(alias, pick.model().get(), AliasChoice.How.RECOMMENDED, pick, hw, limits));
    }
    return c.resolve(nameOrAlias)
        .map(r -> new AliasChoice(alias, r.manifest(), AliasChoice.How.FIRST_LISTED, pick, hw, limits));
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
    public InstallResult {
      evicted = List.copyOf(evicted);
    }

    /** A result that evicted nothing. */
    public InstallResult(InstalledModel model, boolean alreadyInstalled, int filesWritten, long bytesWritten) {
      this(model, alreadyInstalled, filesWritten, bytesWritten, List.of());
    }
  }

  /**
   * Installs a model without downloading: a bundled model, or one whose files have local
   * ({@code bundled:} or {@code file:}) sources. Idempotent; repairs a corrupt model. A model that
   * needs a download is refused with {@link ConsentRequiredException}: use {@link #pull}.
   */
  public InstallResult install(String nameOrPath)
      throws AppException, ManifestException, CatalogException, StoreException, IntegrityException, AcquisitionException {
    return pull(nameOrPath, Consent.REFUSE, ProgressListener.NONE);
  }

  /** {@link #install(Manifest, String, Consent, ProgressListener)} without downloads. */
  public InstallResult install(Manifest manifest, String origin)
      throws AppException, StoreException, IntegrityException, AcquisitionException {
    return install(manifest, origin, Consent.REFUSE, ProgressListener.NONE);
  }

  /**
   * Resolves a name, alias or manifest file and installs it, downloading what local sources
   * cannot provide once {@code consent} approves the {@link DownloadPlan}.
   */
  public InstallResult pull(String nameOrAlias, Consent consent, ProgressListener listener)
      throws AppException, ManifestException, CatalogException, StoreException, IntegrityException, AcquisitionException {
    Resolved r = resolve(nameOrAlias);
    return install(r.manifest(), r.origin(), consent, listener);
  }

  /**
   * What installing {@code nameOrAlias} would download, without downloading anything. An empty
   * plan means it installs from the store or from local sources.
   */
  public DownloadPlan plan(String nameOrAlias)
      throws AppException, ManifestException, CatalogException, StoreException {
    return plan(resolve(nameOrAlias).manifest());
  }

  /**
   * What {@link #install(Manifest, String, Consent, ProgressListener)} of {@code m} would download:
   * for an installed model, what repairing it would fetch (its missing and corrupt files only).
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
   * @throws UnknownModelException when nothing has that name
   */
  public ModelDescription describe(String nameOrAlias)
      throws AppException, ManifestException, CatalogException, StoreException {
    Optional<InstalledModel> installed = Optional.empty();
    try {
      installed = store.installed(ModelName.parse(nameOrAlias));
    } catch (IllegalArgumentException notAName) {
      // an alias with characters a model name cannot have, name@version or a path: resolved below
    }
    Optional<AliasChoice> alias = installed.isPresent() ? Optional.empty() : chooseForPull(nameOrAlias, Optional.empty());
    Manifest m;
    String origin;
    if (installed.isPresent()) {
      m = installed.get().manifest();
      origin = installed.get().origin();
    } else {
      Resolved r = resolve(nameOrAlias);
      m = r.manifest();
      origin = r.origin();
      installed = store.installed(m.name()).filter(i -> i.manifest().version().equals(m.version()));
    }
    Catalogs c = catalogs();
    List<soko.catalog.CatalogEntry> listed = c.models().stream().filter(e -> e.manifest().name().equals(m.name())).toList();
    List<String> versions = listed.stream().map(e -> e.manifest().version()).sorted()
        .map(v -> v.text()).distinct().toList();
    List<String> catalogIds = listed.stream().flatMap(e -> e.catalogIds().stream()).distinct().toList();
    List<String> aliases = c.aliases().stream().filter(a -> a.alias().candidates().contains(m.name()))
        .map(a -> a.alias().name()).toList();
    List<String> installedVersions = store.installed(m.name()).stream().map(i -> i.manifest().version().text()).toList();
    Optional<ModelCheck> check = installed.isPresent() ? Optional.of(store.checkWithoutHashing(installed.get()))
        : Optional.empty();
    boolean engine = engineProviders().stream().anyMatch(p -> p.info().id().equals(m.engine().id()));
    return new ModelDescription(nameOrAlias, m, origin, check, installedVersions, versions, catalogIds, aliases, alias,
        engine);
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
   * @throws UnknownModelException when no catalog model has such a file, or several do and {@code as} is empty
   */
  public InstallResult importFiles(Path path, Optional<String> as, Consent consent, ProgressListener listener)
      throws AppException, CatalogException, StoreException, IntegrityException, AcquisitionException,
      ManifestException {
    List<Path> given = new ArrayList<>();
    try {
      if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (var walk = Files.walk(path)) {
          walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).limit(MAX_IMPORT_FILES)
              .sorted().forEach(given::add);
        }
      } else {
        soko.internal.io.RegularFiles.check(path);
        given.add(path);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UnknownModelException(path + " does not exist; give the path of a model file you downloaded");
    } catch (soko.internal.io.RegularFiles.NotRegularFileException e) {
      throw new UnknownModelException(path + " is not a regular file but " + e.kind() + "; give a model file or a"
          + " folder of them");
    } catch (IOException e) {
      throw new UnknownModelException("cannot read " + path + ": " + e.getMessage());
    }
    List<Manifest> candidates = new ArrayList<>();
    if (as.isPresent()) {
      Optional<soko.catalog.Resolution> r = catalogs().resolve(as.get());
      if (r.isEmpty()) {
        throw new UnknownModelException("--as " + as.get() + " names no model of the catalogs; run `soko catalog` to"
            + " see them");
      }
      candidates.add(r.get().manifest());
    } else {
      catalogs().models().forEach(e -> candidates.add(e.manifest()));
    }
    // model id -> (file path in the model -> the user's file)
    Map<String, Map<String, Path>> matches = new java.util.LinkedHashMap<>();
    Map<String, Manifest> byId = new java.util.HashMap<>();
    for (Path p : given) {
      long size;
      try {
        size = Files.size(p);
      } catch (IOException e) {
        throw new UnknownModelException("cannot read " + p + ": " + e.getMessage());
      }
      List<Manifest> sameSize = candidates.stream()
          .filter(m -> m.files().stream().anyMatch(f -> f.size() == size)).toList();
      if (sameSize.isEmpty()) {
        continue; // no hashing for a file no catalog file could be
      }
      soko.verification.Digest digest;
      try {
        digest = soko.verification.Hashing.sha256(p).digest();
      } catch (IOException e) {
        throw new UnknownModelException("cannot read " + p + ": " + e.getMessage());
      }
      for (Manifest m : sameSize) {
        for (ModelFile f : m.files()) {
          if (f.size() == size && f.sha256().equals(digest)) {
            matches.computeIfAbsent(m.id(), k -> new java.util.LinkedHashMap<>()).putIfAbsent(f.path().value(), p);
            byId.put(m.id(), m);
          }
        }
      }
    }
    if (matches.isEmpty()) {
      throw new UnknownModelException("no file of " + path + " has the size and sha256 of a file of "
          + (as.isPresent() ? as.get() : "any model of the catalogs") + "; `soko catalog` lists the models, and"
          + " `soko manifest create` describes a model of your own");
    }
    if (matches.size() > 1) {
      throw new UnknownModelException(path + " matches files of several models (" + String.join(", ", matches.keySet())
          + "); choose one with --as NAME@VERSION");
    }
    String id = matches.keySet().iterator().next();
    Manifest m = byId.get(id);
    Map<String, Path> local = matches.get(id);
    List<ModelFile> files = new ArrayList<>();
    for (ModelFile f : m.files()) {
      Path p = local.get(f.path().value());
      if (p == null) {
        files.add(f);
      } else {
        List<SourceUri> sources = new ArrayList<>();
        sources.add(new SourceUri(p.toAbsolutePath().normalize().toUri()));
        sources.addAll(f.sources());
        files.add(new ModelFile(f.path(), f.size(), f.sha256(), sources));
      }
    }
    Manifest adopted = new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(), m.license(), files,
        m.demo(), m.annotations());
    InstallResult r = install(adopted, "import:" + path.toAbsolutePath().normalize(), consent, listener);
    return r;
  }

  // ---------------------------------------------------------------- listing and verifying

  /** Installed models with their state, without hashing anything. */
  public List<ModelCheck> list() throws StoreException {
    return store.checkWithoutHashing(store.installed());
  }

  /**
   * Verifies one model or all. Unchanged files cost a {@code stat}; {@code full} re-hashes everything,
   * one file per core at a time across all the models.
   */
  public List<ModelCheck> verify(Optional<String> name, boolean full) throws StoreException {
    return verify(name, full ? VerifyMode.FULL : VerifyMode.CACHED);
  }

  /**
   * Verifies one model or all with the given mode: {@link VerifyMode#FULL} checks a large file's
   * chunks on every core against its chunk records, {@link VerifyMode#WHOLE} hashes each file as
   * one stream ({@code soko verify --full --whole}).
   */
  public List<ModelCheck> verify(Optional<String> name, VerifyMode mode) throws StoreException {
    List<InstalledModel> models = name.isPresent()
        ? List.of(store.require(parseName(name.get())))
        : store.installed();
    // One call, so a full verify of several models hashes their files across all cores.
    return store.check(models, mode);
  }

  /**
   * The verified files of an installed model, for an engine. Refuses a corrupt or incomplete model
   * with a message that says how to repair it.
   */
  public VerifiedModel verified(String name) throws StoreException {
    return store.verified(parseName(name), VerifyMode.CACHED);
  }

  /**
   * What {@link #remove} of {@code name} would free, changing nothing. A blob another installed
   * model names is kept; a missing blob frees nothing.
   */
  public RemovalPlan planRemoval(String name) throws StoreException {
    InstalledModel model = store.require(parseName(name));
    java.util.Set<soko.verification.Digest> others = new java.util.HashSet<>();
    for (InstalledModel other : store.installed()) {
      if (!other.manifest().name().equals(model.manifest().name())) {
        other.manifest().files().forEach(f -> others.add(f.sha256()));
      }
    }
    long freed = 0;
    long shared = 0;
    int blobs = 0;
    java.util.Set<soko.verification.Digest> seen = new java.util.HashSet<>();
    for (soko.store.FileCheck f : store.checkWithoutHashing(model).files()) {
      if (f.state() == FileState.MISSING || !seen.add(f.file().sha256())) {
        continue;
      }
      if (others.contains(f.file().sha256())) {
        shared += f.file().size();
      } else {
        freed += f.file().size();
        blobs++;
      }
    }
    return new RemovalPlan(model, freed, blobs, shared);
  }

  public GcReport remove(String name) throws StoreException {
    return store.remove(parseName(name));
  }

  public GcReport gc(boolean dryRun) throws StoreException {
    return store.gc(dryRun);
  }

  /**
   * Empties the cache root, partial downloads included; a download running in another process
   * keeps its partial file.
   */
  public CacheClearReport clearCache(boolean dryRun) throws StoreException {
    java.util.Set<Path> busy = new java.util.HashSet<>();
    try {
      busy.addAll(downloader.inUse());
      List<Partial> owned = downloader.partials();
      List<Partial> removable = dryRun ? owned.stream().filter(p -> !busy.containsAll(p.files())).toList()
          : downloader.removePartials();
      java.util.Set<soko.verification.Digest> gone = new java.util.HashSet<>();
      removable.forEach(p -> gone.add(p.sha256()));
      for (Partial p : owned) {
        if (!gone.contains(p.sha256())) {
          busy.addAll(p.files());
        }
      }
      if (!dryRun) {
        CacheClearReport rest = store.clearCacheAfterDownloads(busy);
        long partialBytes = removable.stream().mapToLong(Partial::bytes).sum();
        return new CacheClearReport(false, rest.filesRemoved() + removable.stream().mapToLong(p -> p.files().size()).sum(),
            rest.bytesFreed() + partialBytes, removable.size(), partialBytes,
            busy.isEmpty() ? rest.skipped() : java.util.stream.Stream.concat(rest.skipped().stream(),
                busy.stream().sorted().map(b -> b + " (a download in progress)")).toList());
      }
    } catch (soko.acquisition.DownloadsFolderException e) {
      // The walk below still clears what it can and reports the rest.
    }
    return store.clearCache(dryRun, busy);
  }

  /** True when the model is installed and every file is verified by its record. */
  public boolean isVerified(String name) throws StoreException {
    Optional<InstalledModel> m = store.installed(parseName(name));
    return m.isPresent() && store.checkWithoutHashing(m.get()).state() == FileState.VERIFIED;
  }

  // ---------------------------------------------------------------- budget and updates

  /** The environment variable that overrides the {@code budget} setting, such as {@code SOKO_BUDGET=20GiB}. */
  public static final String ENV_BUDGET = "SOKO_BUDGET";

  /** The settings file that {@code soko config} reads and writes. */
  public ConfigFile config() {
    return new ConfigFile(store.settingsFile());
  }

  /**
   * The storage budget in force: {@code SOKO_BUDGET} when set, else the {@code budget} setting; none
   * by default (nothing is ever evicted).
   *
   * @throws InvalidSettingException when the value in force is not a size
   */
  public Optional<BudgetSetting> budget() {
    String env = System.getenv(ENV_BUDGET);
    if (env != null && !env.isBlank()) {
      try {
        return Optional.of(new BudgetSetting(StorageBudget.parse(env), ENV_BUDGET));
      } catch (InvalidSettingException e) {
        throw new InvalidSettingException(ENV_BUDGET + ": " + e.getMessage() + " (or unset " + ENV_BUDGET + ")", e);
      }
    }
    return config().get(ConfigFile.Key.BUDGET).map(v -> new BudgetSetting(StorageBudget.parse(v), "settings"));
  }

  /** What the budget counts now: installed models and versions kept for rollback, each shared blob once. */
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
   */
  public Prune prunePlan() throws StoreException, BudgetException {
    BudgetSetting b = budget().orElseThrow(() -> new BudgetException("no storage budget is set: set one with `soko"
        + " config set budget SIZE` (such as 20GiB) or SOKO_BUDGET"));
    Evictions.Plan p = Evictions.plan(store, b.budget(), Optional.empty());
    if (!p.fits()) {
      throw new BudgetException(p.refusal("the store"));
    }
    return new Prune(b, p.used(), p.evictions(), List.of());
  }

  /**
   * Evicts least recently used models (and versions kept for rollback) until the store is within
   * the budget: never a model in use, bundled or marked keep.
   */
  public Prune prune(boolean dryRun) throws StoreException, BudgetException {
    Prune plan = prunePlan();
    if (dryRun) {
      return plan;
    }
    return new Prune(plan.budget(), plan.used(), plan.evictions(), Evictions.evict(store, plan.evictions()));
  }

  /**
   * What a prune plans or did.
   *
   * @param used bytes the budget counted before
   * @param evictions what goes (or would go), in order
   * @param done one line per eviction done or skipped; empty for a dry run
   */
  public record Prune(BudgetSetting budget, long used, List<Eviction> evictions, List<String> done) {
    public Prune {
      evictions = List.copyOf(evictions);
      done = List.copyOf(done);
    }

    public long freed() {
      return evictions.stream().mapToLong(Eviction::bytes).sum();
    }
  }

  /** Marks an installed model keep (the budget never evicts it), or unmarks it. */
  public void keep(String name, boolean keep) throws StoreException {
    ModelName n = parseName(name);
    if (keep) {
      store.require(n);
    }
    store.keep(n, keep);
  }

  /** Installed models whose catalog lists a newer version, and aliases with a better pick. No network. */
  public Outdated outdated() throws StoreException, CatalogException {
    return Updates.outdated(this);
  }

  /**
   * What {@link #update} would download and evict, without writing anything; empty when the
   * catalogs list nothing newer.
   */
  public Optional<DownloadPlan> updatePlan(String name) throws AppException, StoreException, CatalogException {
    Optional<Manifest> next = nextVersion(name);
    return next.isEmpty() ? Optional.empty() : Optional.of(plan(next.get()));
  }

  /**
   * Installs the newest version the catalogs list for an installed model (or, for an alias with a
   * better pick, the model recommended for this computer) beside the installed one, and switches
   * the name to it once it verifies; the replaced version stays for {@link #rollback} until gc, a
   * removal or the budget drops it. A licence change needs the new licence accepted by name.
   *
   * @return empty when nothing newer is listed
   * @throws ConsentRequiredException when the licence changes and {@code consent} does not accept the new one
   */
  public Optional<InstallResult> update(String name, Consent consent, ProgressListener listener)
      throws AppException, StoreException, CatalogException, IntegrityException, AcquisitionException {
    Optional<Manifest> next = nextVersion(name);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Manifest n = next.get();
    Optional<InstalledModel> current = store.installed(n.name());
    if (current.isPresent() && !current.get().manifest().license().spdx().equals(n.license().spdx())
        && !consent.accepts(n.license().spdx())) {
      throw new ConsentRequiredException("the licence of " + n.name() + " changes from "
          + current.get().manifest().license().spdx() + " to " + n.license().spdx() + " in " + n.version()
          + " (" + n.license().url() + "): read it, then run again with --accept-license " + n.license().spdx());
    }
    return Optional.of(installs.install(n, "catalog", consent, listener, current.isPresent()));
  }

  /** The manifest {@link #update} installs for a model name or an alias, if there is a newer one. */
  private Optional<Manifest> nextVersion(String name) throws AppException, StoreException, CatalogException {
    Catalogs c = catalogs();
    if (c.alias(name).isPresent()) {
      for (Outdated.BetterPick p : Updates.outdated(this).betterPicks()) {
        if (p.alias().equals(name)) {
          return c.model(ModelName.parse(p.recommended()));
        }
      }
      return Optional.empty();
    }
    InstalledModel m = store.require(parseName(name));
    Optional<Outdated.Update> u = Updates.newer(this, c, m);
    return u.isEmpty() ? Optional.empty() : c.model(m.manifest().name());
  }

  /** What installing {@code m} downloads, evictions aside. */
  long downloadBytes(Manifest m) throws StoreException {
    return installs.plan(m).bytesToDownload();
  }

  /**
   * Switches a model back to the version an update replaced, once that version verifies; the
   * version left becomes the previous one (a second rollback goes forward again).
   */
  public InstalledModel rollback(String name) throws StoreException {
    return store.rollback(parseName(name));
  }

  // ---------------------------------------------------------------- diagnostics

  public Machine machine() {
    Machine given = machine;
    return given != null ? given : MachineProbe.probe(props);
  }

  /** Engine providers found on the class path. */
  public List<EngineProvider> engineProviders() {
    List<EngineProvider> out = new ArrayList<>();
    ServiceLoader.load(EngineProvider.class, Soko.class.getClassLoader()).forEach(out::add);
    out.sort(java.util.Comparator.comparing((EngineProvider p) -> p.info().id()).thenComparing(p -> p.info().description()));
    return out;
  }

  /** The engines, as Diagnostics shows them. */
  public List<EngineReport> engines() {
    List<EngineReport> out = new ArrayList<>();
    for (EngineProvider p : engineProviders()) {
      EngineInfo i = p.info();
      Map<String, String> probe;
      try {
        probe = p.probe();
      } catch (RuntimeException | LinkageError e) {
        probe = Map.of("error", String.valueOf(e.getMessage()));
      }
      out.add(new EngineReport(i.id(), i.version(), i.capabilities().stream().map(Object::toString).toList(),
          i.description(), i.needs().nativeCode(), probe));
    }
    return out;
  }

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

  public Store store() {
    return store;
  }

  private static ModelName parseName(String name) throws StoreException {
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
   * {@link RuntimeSettings} read from the environment (see there) over this machine's defaults.
   *
   * @throws InvalidSettingException when a runtime setting has an unusable value
   */
  public Engines runtime() {
    Engines r = runtime;
    if (r == null) {
      synchronized (this) {
        r = runtime;
        if (r == null) {
          Machine m = machine();
          r = new Engines(this, RuntimeSettings.resolve(System.getenv(), m), m, engineProviders(),
              Engines.discoverCloudProviders(), clock, true);
          runtime = r;
        }
      }
    }
    return r;
  }
}
