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
import soko.acquisition.LocalSource;
import soko.catalog.BuiltinCatalog;
import soko.catalog.CatalogException;
import soko.catalog.Catalogs;
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

  private Soko(Settings settings, Store store, Clock clock, Properties props) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.props = props;
  }

  public static Soko open(Settings settings) throws StoreException {
    return open(settings, Clock.systemUTC(), System.getProperties());
  }

  public static Soko open(Settings settings, Clock clock, Properties props) throws StoreException {
    return new Soko(settings, Store.open(settings.roots(), clock), clock, props);
  }

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

  /** The built-in catalog merged with the accepted remote catalogs. */
  public Catalogs catalogs() throws CatalogException {
    Catalogs c = catalogs;
    if (c == null) {
      c = Catalogs.of(BuiltinCatalog.load(), List.of());
      catalogs = c;
    }
    return c;
  }

  private volatile Catalogs catalogs;

  /**
   * Finds a model: a bundled name, then a catalog name, {@code name@version} or alias (such as
   * {@code ja-asr}), then a manifest file when {@code nameOrPath} ends with {@code .json} or names
   * an existing file.
   */
  public Resolved resolve(String nameOrPath) throws AppException, ManifestException, CatalogException {
    Optional<Manifest> bundled = bundledManifest(nameOrPath);
    if (bundled.isPresent()) {
      return new Resolved(bundled.get(), "bundled");
    }
    if (!nameOrPath.endsWith(".json")) {
      Optional<soko.catalog.Resolution> r = catalogs().resolve(nameOrPath);
      if (r.isPresent()) {
        Manifest m = r.get().manifest();
        return new Resolved(m, m.bundled() ? "bundled" : "catalog");
      }
    }
    Path p = Path.of(nameOrPath);
    if (nameOrPath.endsWith(".json") || Files.isRegularFile(p)) {
      byte[] bytes;
      try {
        long size = Files.size(p);
        if (size > ManifestCodec.MAX_BYTES) {
          throw new ManifestException(nameOrPath, "", "the manifest is " + size + " bytes; the limit is "
              + ManifestCodec.MAX_BYTES + " bytes, so this is not a manifest", null);
        }
        bytes = Files.readAllBytes(p);
      } catch (IOException e) {
        throw new UnknownModelException("cannot read the manifest " + nameOrPath + ": " + e.getMessage());
      }
      return new Resolved(ManifestCodec.parse(bytes, nameOrPath), "file:" + p.toAbsolutePath().normalize());
    }
    throw new UnknownModelException("no model or alias named \"" + nameOrPath + "\": run `soko catalog` to see what"
        + " is available, or give a path to a manifest .json file");
  }

  /** A manifest and where it came from. */
  public record Resolved(Manifest manifest, String origin) {}

  // ---------------------------------------------------------------- installing

  /** The outcome of an install. */
  public record InstallResult(InstalledModel model, boolean alreadyInstalled, int filesWritten, long bytesWritten) {}

  /** Installs a bundled model or a manifest file's model. Idempotent; repairs a corrupt model. */
  public InstallResult install(String nameOrPath)
      throws AppException, ManifestException, CatalogException, StoreException, IntegrityException {
    Resolved r = resolve(nameOrPath);
    return install(r.manifest(), r.origin());
  }

  /**
   * Installs a model from local sources (bundled and file). Every byte is verified as it is
   * written; a model is recorded as installed only when all its files are in the store.
   */
  public InstallResult install(Manifest manifest, String origin) throws AppException, StoreException, IntegrityException {
    Optional<InstalledModel> existing = store.installed(manifest.name()).filter(m -> m.manifest().equals(manifest));
    try (Store.Install tx = store.beginInstall(manifest)) {
      List<ModelFile> missing = tx.missingFiles();
      if (existing.isPresent() && missing.isEmpty()) {
        return new InstallResult(existing.get(), true, 0, 0);
      }
      long bytes = 0;
      for (ModelFile f : missing) {
        fetchLocal(f);
        bytes += f.size();
      }
      return new InstallResult(tx.commit(origin), false, missing.size(), bytes);
    }
  }

  private void fetchLocal(ModelFile f) throws AppException, StoreException, IntegrityException {
    List<Exception> failures = new ArrayList<>();
    for (SourceUri s : f.sources()) {
      if (s.kind() == SourceUri.Kind.HTTP || s.kind() == SourceUri.Kind.OCI) {
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
    String detail = failures.isEmpty() ? "" : " (" + failures.get(failures.size() - 1).getMessage() + ")";
    NoSourceException e = new NoSourceException("no source could provide " + f.path() + detail
        + (remote ? "; it must be downloaded: run `soko pull` with consent" : "; check the manifest's sources"));
    failures.forEach(e::addSuppressed);
    throw e;
  }

  // ---------------------------------------------------------------- listing and verifying

  /** Installed models with their state, without hashing anything. */
  public List<ModelCheck> list() throws StoreException {
    List<ModelCheck> out = new ArrayList<>();
    for (InstalledModel m : store.installed()) {
      out.add(store.checkWithoutHashing(m));
    }
    return out;
  }

  /**
   * Verifies one model or all. Unchanged files cost a {@code stat}; {@code full} re-hashes everything.
   */
  public List<ModelCheck> verify(Optional<String> name, boolean full) throws StoreException {
    VerifyMode mode = full ? VerifyMode.FULL : VerifyMode.CACHED;
    List<InstalledModel> models = name.isPresent()
        ? List.of(store.require(parseName(name.get())))
        : store.installed();
    List<ModelCheck> out = new ArrayList<>();
    for (InstalledModel m : models) {
      out.add(store.check(m, mode));
    }
    return out;
  }

  /**
   * The verified files of an installed model, for an engine. Refuses a corrupt or incomplete model
   * with a message that says how to repair it.
   */
  public VerifiedModel verified(String name) throws StoreException {
    return store.verified(parseName(name), VerifyMode.CACHED);
  }

  public GcReport remove(String name) throws StoreException {
    return store.remove(parseName(name));
  }

  public GcReport gc(boolean dryRun) throws StoreException {
    return store.gc(dryRun);
  }

  public CacheClearReport clearCache(boolean dryRun) throws StoreException {
    return store.clearCache(dryRun);
  }

  /** True when the model is installed and every file is verified by its record. */
  public boolean isVerified(String name) throws StoreException {
    Optional<InstalledModel> m = store.installed(parseName(name));
    return m.isPresent() && store.checkWithoutHashing(m.get()).state() == FileState.VERIFIED;
  }

  // ---------------------------------------------------------------- diagnostics

  public Machine machine() {
    return MachineProbe.probe(props);
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
    return Inventory.report(store, settings.origin(), machine(), engines(), clock);
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
