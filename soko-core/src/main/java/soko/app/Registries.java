package soko.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import soko.acquisition.AcquisitionException;
import soko.acquisition.DownloadSettings;
import soko.acquisition.Downloader;
import soko.acquisition.oci.OciAuthException;
import soko.acquisition.oci.Credentials;
import soko.acquisition.oci.ModelPack;
import soko.acquisition.oci.OciClient;
import soko.acquisition.oci.OciException;
import soko.acquisition.oci.OciNotFoundException;
import soko.acquisition.oci.OciReference;
import soko.acquisition.oci.OciSettings;
import soko.acquisition.Trust;
import soko.events.ProgressListener;
import soko.internal.json.Json;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.store.InstalledModel;
import soko.store.StoreException;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * Models as OCI artifacts: {@code soko pull oci://…} and {@code soko push NAME oci://…}, on top of
 * {@link OciClient}. A pull reads the manifest and hands it to the {@link InstallService}, like any
 * other way in: the same consent, offline rule, downloader (resume, retries, watchdog, partial
 * files and locks) and verify-then-publish path as HTTP downloads. Pushes read the verified blobs
 * of an installed model. Thread-safe.
 *
 * <table>
 *   <caption>Registry settings</caption>
 *   <tr><th>setting</th><th>flag</th><th>environment</th></tr>
 *   <tr><td>plain-http registries</td><td>--insecure-registry HOST:PORT (repeatable)</td><td>{@value #ENV_INSECURE} (comma- or space-separated)</td></tr>
 *   <tr><td>user and password, for the one registry named in {@value #ENV_REGISTRY} (sent nowhere else)</td><td></td><td>{@value #ENV_REGISTRY}, {@value #ENV_USER} and {@value #ENV_PASSWORD}</td></tr>
 *   <tr><td>a credentials file (docker {@code config.json} or podman {@code auth.json} format)</td><td>--authfile FILE</td><td>{@value #ENV_AUTH_FILE}</td></tr>
 * </table>
 *
 * <p>Credentials are looked up in this order, the first that knows the registry winning: the
 * environment variables (for the registry {@value #ENV_REGISTRY} only), {@code --authfile} (else
 * {@value #ENV_AUTH_FILE}), then the logins of other tools ({@link #loginFilesFor}: podman's and
 * skopeo's {@code auth.json}, docker's {@code config.json} with its credential helpers), once per
 * registry per process. A credential is sent only to the registry it belongs to: never to another
 * host a request is redirected to, and to a token service only over https (see {@code Auth}), or
 * over plain http only on the registry's own host when that registry is listed as insecure.
 */
public final class Registries {
  /** The prefix of a registry reference, {@code oci://}. */
  public static final String SCHEME = OciReference.SCHEME_PREFIX;
  /** The environment variable listing plain-http registries ({@code HOST:PORT}, comma- or space-separated). */
  public static final String ENV_INSECURE = "SOKO_INSECURE_REGISTRIES";
  /** The environment variable holding the user name for the registry {@value #ENV_REGISTRY}. */
  public static final String ENV_USER = "SOKO_REGISTRY_USER";
  /** The environment variable holding the password (or token) for the registry {@value #ENV_REGISTRY}. */
  public static final String ENV_PASSWORD = "SOKO_REGISTRY_PASSWORD";
  /** The one registry ({@code host[:port]}) that {@value #ENV_USER} and {@value #ENV_PASSWORD} belong to. */
  public static final String ENV_REGISTRY = "SOKO_REGISTRY";
  /** The variable podman and skopeo read for their credentials file. */
  public static final String ENV_AUTH_FILE = "REGISTRY_AUTH_FILE";
  /** Where chunked pushes keep their upload state, under the store's cache root. */
  public static final String UPLOADS_FOLDER = "uploads";

  private final Soko soko;
  private final OciSettings settings;
  private final OciClient client;
  private final InstallService installs;

  /**
   * Uses {@code settings} as given, except that chunked pushes keep their state in the store's
   * cache root when {@code settings} names no folder for it. Blob downloads try each registry
   * source {@link OciSettings#attempts()} times, starting with {@link OciSettings#backoff()}.
   *
   * @param soko the Soko whose store, connector and offline setting are used
   * @param settings the registry settings (insecure registries, credentials, retries)
   */
  public Registries(Soko soko, OciSettings settings) {
    this.soko = soko;
    this.settings = settings.uploadState().isPresent() ? settings
        : settings.withUploadState(soko.store().roots().cache().resolve(UPLOADS_FOLDER));
    this.client = new OciClient(this.settings, soko.connector());
    DownloadSettings d = soko.downloadSettings();
    d = d.withRetries(this.settings.attempts(), this.settings.backoff(), d.maxBackoff());
    Downloader downloader = new Downloader(soko.store().downloadsDir(), d, this.settings.clock(), Map.of(
        SourceUri.Kind.HTTP, Downloader.http(soko.connector(), d), SourceUri.Kind.OCI, client.blobTransport()));
    this.installs = new InstallService(soko.store(), downloader, soko.settings().offline());
  }

  /**
   * Resolves registry settings from flags and the environment (see the class comment) and opens
   * the registries use cases for {@code soko}.
   *
   * @param soko the Soko whose store, connector and offline setting are used
   * @param env the process environment (System.getenv() in production)
   * @param props the system properties (for user.home)
   * @param insecureFlags the {@code --insecure-registry} values
   * @param authFileFlag the {@code --authfile} value
   * @return the registries use cases
   * @throws AppException ({@link UnknownModelException}) when an insecure-registry value is not a
   *     HOST:PORT, only one of {@value #ENV_USER} and {@value #ENV_PASSWORD} is set, they are set
   *     without a valid {@value #ENV_REGISTRY}, the user name is invalid, or the credentials file
   *     does not exist
   */
  public static Registries open(Soko soko, Map<String, String> env, Properties props, List<String> insecureFlags,
      Optional<Path> authFileFlag) throws AppException {
    return new Registries(soko, settings(env, props, insecureFlags, authFileFlag));
  }

  /**
   * The OCI settings {@link #open} uses, without an upload-state folder.
   *
   * @param env the process environment (System.getenv() in production)
   * @param props the system properties (for user.home)
   * @param insecureFlags the {@code --insecure-registry} values; blank ones are ignored
   * @param authFileFlag the {@code --authfile} value; empty to use {@value #ENV_AUTH_FILE}, if set
   * @return the settings
   * @throws AppException ({@link UnknownModelException}) when an insecure-registry value is not a
   *     HOST:PORT, only one of {@value #ENV_USER} and {@value #ENV_PASSWORD} is set, they are set
   *     without a valid {@value #ENV_REGISTRY}, the user name is invalid, or the credentials file
   *     does not exist
   */
  public static OciSettings settings(Map<String, String> env, Properties props, List<String> insecureFlags,
      Optional<Path> authFileFlag) throws AppException {
    return RegistrySettings.resolve(env, props, insecureFlags, authFileFlag);
  }

  /**
   * Where other container tools keep their logins, in the order skopeo and podman read them:
   * {@code $XDG_RUNTIME_DIR/containers/auth.json} (podman login), {@code
   * $XDG_CONFIG_HOME/containers/auth.json} (else {@code $HOME/.config/containers/auth.json}), then
   * docker's {@code $DOCKER_CONFIG/config.json} (else {@code $HOME/.docker/config.json}). {@code
   * $HOME} comes from the environment; the password file's home ({@code user.home}) only when it
   * is unset, as in a service started without one.
   *
   * @param env the process environment
   * @param props the system properties (for {@code user.home})
   * @return the files to read, in order (two or three); they need not exist
   */
  public static List<Path> loginFilesFor(Map<String, String> env, Properties props) {
    return RegistrySettings.loginFiles(env, props);
  }

  /**
   * True when {@code text} is meant as a registry reference ({@code oci://…}, any case).
   *
   * @param text what the user gave
   * @return true when it starts with {@value #SCHEME}
   */
  public static boolean isReference(String text) {
    return text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /**
   * The registry settings in use, with the upload-state folder filled in.
   *
   * @return the settings
   */
  public OciSettings ociSettings() {
    return settings;
  }

  // ---------------------------------------------------------------- pull

  /**
   * Installs the model at {@code reference} ({@code oci://REGISTRY/REPO:TAG} or
   * {@code …@sha256:HEX}): reads and verifies its manifest, then, once {@code consent} approves
   * the {@link DownloadPlan}, downloads the blobs the store lacks, each resumable from the
   * downloads folder, verified by size and sha256, and published atomically. The model is recorded
   * with the origin {@code oci://REGISTRY/REPO[:TAG]@sha256:…}. Offline, or when {@code consent}
   * is {@link Consent#REFUSE}, nothing is requested: only a digest-pinned reference to a model
   * already installed from it succeeds. Otherwise the manifest is read before consent is asked
   * (the plan needs it); see {@link InstallService}.
   *
   * @param reference {@code oci://REGISTRY/REPO:TAG} or {@code oci://REGISTRY/REPO@sha256:HEX}
   * @param consent decides whether the planned downloads may run
   * @param listener told of progress; {@link ProgressListener#NONE} for none
   * @return what the install did
   * @throws AppException when the reference is malformed or names no model ({@link UnknownModelException}),
   *     consent is refused or the machine is offline ({@link ConsentRequiredException}), or the
   *     registry fails ({@link RegistryException})
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws IntegrityException when a blob's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a blob download fails
   */
  public Soko.InstallResult pull(String reference, Consent consent, ProgressListener listener)
      throws AppException, StoreException, IntegrityException, AcquisitionException {
    return pull(reference, Optional.empty(), consent, listener);
  }

  /**
   * {@link #pull(String, Consent, ProgressListener)}, with the tasks the user gave ({@code soko
   * pull --task}) replacing what the artifact says: how a ModelPack made by another tool, installed
   * in the "no task" state ({@link Manifest#noTask()}), becomes runnable. Pulling an installed model
   * again with tasks only records them; nothing is downloaded twice.
   *
   * @param reference {@code oci://REGISTRY/REPO:TAG} or {@code oci://REGISTRY/REPO@sha256:HEX}
   * @param tasks the tasks to record; empty to keep the artifact's
   * @param consent decides whether the planned downloads may run
   * @param listener told of progress; {@link ProgressListener#NONE} for none
   * @return what the install did
   * @throws AppException when the reference is malformed or names no model ({@link UnknownModelException}),
   *     consent is refused or the machine is offline ({@link ConsentRequiredException}), or the
   *     registry fails ({@link RegistryException})
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws IntegrityException when a blob's size or sha256 differs from the manifest's
   * @throws AcquisitionException when a blob download fails
   */
  public Soko.InstallResult pull(String reference, Optional<List<TaskSpec>> tasks, Consent consent, ProgressListener listener)
      throws AppException, StoreException, IntegrityException, AcquisitionException {
    OciReference ref = parse(reference);
    return installs.pull(ref, () -> {
      try {
        return client.pullManifest(ref);
      } catch (OciException e) {
        throw failure(e, ref);
      }
    }, tasks, consent, listener);
  }

  /**
   * What to tell the user about a model installed with no task: why, and how to give one. One
   * line; empty when the model has tasks.
   *
   * @param model the installed model's manifest
   * @param reference the reference it was pulled from, for the command the notice suggests
   * @return the notice; empty when the model has tasks
   */
  public static Optional<String> noTaskNotice(Manifest model, String reference) {
    if (!model.noTask()) {
      return Optional.empty();
    }
    String format = model.annotations().getOrDefault(ModelPack.CONFIG_PREFIX + "format", "not given");
    if (model.engine().id().equals(ModelPack.NO_ENGINE)) {
      return Optional.of(model.id() + " has no task: its format (" + format + ") is not one a Soko engine runs; it is installed,"
          + " listed and verified, and can be exported, but not run");
    }
    return Optional.of(model.id() + " has no task: the artifact does not say what it does; it is installed, listed and"
        + " verified but not run until you name one: soko pull " + reference + " --task asr:ja (or speech-translate:ja:en,"
        + " translate:ko:en, vad)");
  }

  // ---------------------------------------------------------------- push

  /**
   * What a push did.
   *
   * @param model {@code name@version} of the pushed model
   * @param reference where it was pushed, {@code oci://registry/repository:tag}
   * @param digest the digest of the pushed OCI manifest, {@code sha256:…}
   * @param pinned the reference pinned to that digest, for a catalog or a manifest source
   * @param blobsUploaded the blobs sent to the registry
   * @param blobsSkipped the blobs the registry already had (or mounted from another repository)
   * @param bytesUploaded the bytes sent
   */
  public record PushResult(String model, String reference, String digest, String pinned, int blobsUploaded, int blobsSkipped,
      long bytesUploaded) {
    /**
     * What {@code soko push --json} prints.
     *
     * @return one JSON object with the components under their own names
     */
    public String toJson() {
      ObjectNode o = Json.object();
      o.put("model", model);
      o.put("reference", reference);
      o.put("digest", digest);
      o.put("pinned", pinned);
      o.put("blobsUploaded", blobsUploaded);
      o.put("blobsSkipped", blobsSkipped);
      o.put("bytesUploaded", bytesUploaded);
      return Reports.json(o);
    }
  }

  /**
   * Pushes installed model {@code name} to {@code reference} as a ModelPack artifact, reading its
   * blobs from the verified store. Blobs the registry has are skipped; blobs in another repository
   * of the same registry that the model came from (or in {@code mountFrom}) are mounted; the rest
   * are uploaded, large ones in chunks that a later push continues after a crash. The manifest goes
   * last and its digest is checked.
   *
   * @param name the installed model's name
   * @param reference {@code oci://REGISTRY/REPO:TAG} to push to
   * @param mountFrom other repositories of the same registry to mount blobs from; may be empty
   * @param listener told of progress; {@link ProgressListener#NONE} for none
   * @return what the push did
   * @throws AppException when the reference is malformed ({@link UnknownModelException}), the
   *     machine is offline ({@link ConsentRequiredException}), or the registry refuses or fails
   *     ({@link RegistryException})
   * @throws StoreException when the model is not installed or does not verify, or the store cannot be read
   */
  public PushResult push(String name, String reference, List<String> mountFrom, ProgressListener listener)
      throws AppException, StoreException {
    OciReference ref = parse(reference);
    if (soko.settings().offline()) {
      throw new ConsentRequiredException("offline: pushing " + name + " to " + SCHEME + ref
          + " needs the network; run without --offline (and unset SOKO_OFFLINE)");
    }
    VerifiedModel model = soko.verified(name);
    Manifest m = model.manifest();
    Map<Digest, Path> blobs = new LinkedHashMap<>();
    Map<Digest, ModelFile> files = new LinkedHashMap<>();
    for (ModelFile f : m.files()) {
      blobs.putIfAbsent(f.sha256(), model.file(f.path().value()));
      files.putIfAbsent(f.sha256(), f);
    }
    Set<String> mounts = new LinkedHashSet<>(mountFrom);
    for (ModelFile f : m.files()) {
      for (SourceUri s : f.sources()) {
        if (s.kind() == SourceUri.Kind.OCI) {
          sameRegistryRepository(s.toString(), ref).ifPresent(mounts::add);
        }
      }
    }
    soko.store().installed(m.name()).map(InstalledModel::origin).filter(Registries::isReference)
        .flatMap(o -> sameRegistryRepository(o, ref)).ifPresent(mounts::add);
    OciProgress progress = new OciProgress(listener, files, ref.registry(), settings.clock());
    Digest digest;
    try {
      digest = client.push(ref, m, d -> {
        Path p = blobs.get(d);
        if (p == null) {
          throw new IllegalArgumentException(d + " is not a file of " + m.id());
        }
        return p;
      }, Optional.empty(), List.copyOf(mounts), progress);
    } catch (OciException e) {
      throw failure(e, ref);
    }
    int skipped = (int) files.keySet().stream().filter(progress.skippedDigests()::contains).count();
    return new PushResult(m.id(), SCHEME + ref, digest.toString(), SCHEME + ref.withDigest(digest), files.size() - skipped, skipped,
        progress.transferred());
  }

  private static Optional<String> sameRegistryRepository(String reference, OciReference target) {
    try {
      OciReference o = OciReference.parse(reference);
      return o.registry().equals(target.registry()) && !o.repository().equals(target.repository())
          ? Optional.of(o.repository()) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static OciReference parse(String reference) throws UnknownModelException {
    if (!isReference(reference)) {
      throw new UnknownModelException("\"" + reference + "\" is not a registry reference; write oci://REGISTRY/REPOSITORY:TAG,"
          + " like oci://ghcr.io/org/model:1.0.0");
    }
    try {
      return OciReference.parse(SCHEME + reference.substring(SCHEME.length()));
    } catch (IllegalArgumentException e) {
      throw new UnknownModelException(e.getMessage());
    }
  }

  /**
   * A registry failure as an app failure, keeping the one-line message and the cause. A missing
   * model is an {@link UnknownModelException}; everything else is a {@link RegistryException}: the
   * registry could not provide (or take) the model.
   */
  private AppException failure(OciException e, OciReference ref) {
    String message = e.getMessage();
    if (!settings.insecureRegistries().contains(ref.registry()) && causedBySsl(e)) {
      // Plain http is the fix only when the server does not speak TLS at all; a certificate that no
      // trusted CA signed is fixed by trusting the CA, never by dropping TLS.
      java.util.Optional<String> tls = Trust.advice(e, ref.registry());
      message += tls.filter(a -> !a.contains("does not speak TLS")).map(a -> "; " + a)
          .orElse("; if " + ref.registry() + " is a plain-http registry on a trusted network, pass --insecure-registry "
              + ref.registry() + " (or set " + ENV_INSECURE + ")");
    }
    if (e instanceof OciAuthException && !hasCredentials(ref.registry())) {
      message += "; no credentials for " + ref.registry() + " were found in " + ENV_USER + "/" + ENV_PASSWORD
          + " (with " + ENV_REGISTRY + "=" + ref.registry() + "), --authfile (" + ENV_AUTH_FILE
          + "), podman's auth.json or docker's config.json";
    }
    if (e instanceof OciNotFoundException) {
      AppException out = new UnknownModelException(message);
      out.initCause(e);
      return out;
    }
    return new RegistryException(message, e);
  }

  private boolean hasCredentials(String registry) {
    try {
      return settings.credentials().find(registry).isPresent();
    } catch (OciException broken) {
      return true; // a broken source was reported on its own
    }
  }

  private static boolean causedBySsl(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return true;
      }
    }
    return false;
  }
}
