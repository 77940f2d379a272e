package soko.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import soko.testkit.nginx.Nginx;
import soko.testkit.registry.LocalRegistry;

/**
 * Everything the crash and concurrency harnesses run against: nginx serving the test models (its
 * {@code /slow/} path at 1 MB/s so that a download can be killed in flight), a signed catalog
 * naming one of them, a docker-registry holding another as a ModelPack (pushed with {@code soko
 * push}) behind an nginx proxy limited to 1 MB/s, and the {@link World} whose store they fill.
 *
 * <p>The models, by how they arrive:
 *
 * <ul>
 *   <li>{@code silero-vad}, {@code demo-phrasebook}: bundled ({@code install NAME});
 *   <li>{@code rel-alpha}: {@code install alpha.json --yes}, two files from {@code /slow/}, one of
 *       them ({@code shared.bin}) also in rel-beta;
 *   <li>{@code rel-gamma}: {@code install gamma.json --yes}, 120 small files and one of 1 MiB at
 *       full speed (work for {@code rm} and {@code gc});
 *   <li>{@code rel-beta}: {@code pull rel-beta --yes} from the signed catalog, from {@code /slow/};
 *   <li>{@code rel-oci}: {@code pull oci://…/reliability/rel-oci:1.0.0 --yes} through the proxy;
 *   <li>{@code rel-delta}: {@code import WORLD/downloads --yes}, a model of the signed catalog whose
 *       12 MB {@code delta.bin} the user already downloaded ({@link World#userDownloads()}): the
 *       import hashes and copies it, and downloads its other file from {@code /slow/}.
 * </ul>
 */
final class Stage implements AutoCloseable {
  static final Duration LIMIT = Duration.ofSeconds(180);
  static final String OCI_REPO = "reliability/rel-oci:1.0.0";

  final Path run;
  final Cli cli;
  final World world;
  final Nginx nginx;
  final Optional<LocalRegistry> registry;
  final Optional<NginxSite> proxy;
  final Models.Model alpha;
  final Models.Model beta;
  final Models.Model gamma;
  final Models.Model oci;
  final Models.Model delta;
  final Path alphaManifest;
  final Path gammaManifest;
  final Path signedCatalog;
  final Path trustedKeys;
  final Optional<String> ociRef;
  /** Why the OCI model is not available, when it is not. */
  final Optional<String> ociMissing;

  private Stage(Path run, Cli cli, World world, Nginx nginx, Optional<LocalRegistry> registry,
      Optional<NginxSite> proxy, Models.Model alpha, Models.Model beta, Models.Model gamma, Models.Model oci,
      Models.Model delta, Path alphaManifest, Path gammaManifest, Path signedCatalog, Path trustedKeys, Optional<String> ociRef,
      Optional<String> ociMissing) {
    this.run = run;
    this.cli = cli;
    this.world = world;
    this.nginx = nginx;
    this.registry = registry;
    this.proxy = proxy;
    this.alpha = alpha;
    this.beta = beta;
    this.gamma = gamma;
    this.oci = oci;
    this.delta = delta;
    this.alphaManifest = alphaManifest;
    this.gammaManifest = gammaManifest;
    this.signedCatalog = signedCatalog;
    this.trustedKeys = trustedKeys;
    this.ociRef = ociRef;
    this.ociMissing = ociMissing;
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Stops the servers when the harness is stopped (Ctrl-C) before {@link #close()}. */
  private final Thread stopOnExit = new Thread(this::stopServers, "stop-reliability-servers");

  /** Why the harnesses cannot run here (nginx missing), or empty. */
  static Optional<String> unavailableReason() {
    return Nginx.unavailableReason();
  }

  /**
   * Starts the servers, writes the models and manifests, signs the catalog, pushes the OCI model
   * (skipped, with the reason printed, when docker-registry is missing) and configures the
   * catalog in a fresh world under {@code run/world}.
   */
  static Stage build(Path run, Path jar, Optional<Path> aot, Random random) throws IOException {
    Nginx nginx = Nginx.start(run.resolve("servers/nginx"));
    Optional<LocalRegistry> registry = Optional.empty();
    Optional<NginxSite> proxy = Optional.empty();
    try {
      Map<String, byte[]> alphaFiles = new LinkedHashMap<>();
      alphaFiles.put("alpha.bin", Models.random(random, 2_500_000));
      alphaFiles.put("shared.bin", Models.random(random, 700_000));
      Models.Model alpha = new Models.Model("rel-alpha", "1.0.0", alphaFiles);
      Map<String, byte[]> betaFiles = new LinkedHashMap<>();
      betaFiles.put("beta.bin", Models.random(random, 2_000_000));
      betaFiles.put("shared.bin", alpha.files().get("shared.bin"));
      Models.Model beta = new Models.Model("rel-beta", "1.0.0", betaFiles);
      Map<String, byte[]> gammaFiles = new LinkedHashMap<>();
      gammaFiles.put("gamma.bin", Models.random(random, 1 << 20));
      for (int i = 0; i < 120; i++) {
        gammaFiles.put(String.format("parts/part-%03d.bin", i), Models.random(random, 2_000 + random.nextInt(14_000)));
      }
      Models.Model gamma = new Models.Model("rel-gamma", "1.0.0", gammaFiles);
      Models.Model oci = new Models.Model("rel-oci", "1.0.0", Map.of("oci.bin", Models.random(random, 3_000_000)));
      Map<String, byte[]> deltaFiles = new LinkedHashMap<>();
      deltaFiles.put("delta.bin", Models.random(random, 12_000_000));
      deltaFiles.put("delta-extra.bin", Models.random(random, 600_000));
      Models.Model delta = new Models.Model("rel-delta", "1.0.0", deltaFiles);

      Path www = nginx.root();
      alpha.writeFiles(www.resolve("alpha"));
      beta.writeFiles(www.resolve("beta"));
      gamma.writeFiles(www.resolve("gamma"));
      oci.writeFiles(www.resolve("oci"));
      delta.writeFiles(www.resolve("delta"));
      Path models = Files.createDirectories(run.resolve("models"));
      Path alphaManifest = alpha.writeManifest(models.resolve("alpha.json"),
          p -> List.of(nginx.uri("/slow/alpha/" + p)));
      Path gammaManifest = gamma.writeManifest(models.resolve("gamma.json"), p -> List.of(nginx.uri("/gamma/" + p)));
      Path ociManifest = oci.writeManifest(models.resolve("oci.json"), p -> List.of(nginx.uri("/oci/" + p)));

      Map<String, String> env = new LinkedHashMap<>();
      Optional<String> ociMissing = LocalRegistry.unavailableReason();
      if (ociMissing.isEmpty() && !NginxSite.available()) {
        ociMissing = Optional.of("/usr/sbin/nginx is missing (the proxy in front of the registry)");
      }
      if (ociMissing.isEmpty()) {
        registry = Optional.of(LocalRegistry.start(run.resolve("servers/registry"), Optional.empty()));
        // nginx in front of the registry, sending each response at 1 MB/s after the first 64 KiB.
        proxy = Optional.of(NginxSite.start(run.resolve("servers/registry-proxy"), """
            client_max_body_size 0;
            location / {
              proxy_pass http://%s;
              proxy_http_version 1.1;
              proxy_set_header Host $http_host;
              proxy_buffering off;
              limit_rate_after 64k;
              limit_rate 1m;
            }
            """.formatted(registry.get().hostPort())));
        env.put("SOKO_INSECURE_REGISTRIES", registry.get().hostPort() + ",127.0.0.1:" + proxy.get().port());
      }
      Cli cli = new Cli(jar, run.resolve("logs"), run.resolve("user-home"), Aot.options(aot), env);

      Path keys = Files.createDirectories(run.resolve("keys"));
      Path publisher = run.resolve("publisher");
      expectOk(cli, List.of("--home", publisher.toString(), "keygen", keys.resolve("team").toString(),
          "--comment", "reliability harness"));
      ObjectNode catalog = Models.JSON.createObjectNode();
      catalog.put("schemaVersion", 1);
      catalog.put("id", "reliability.models");
      catalog.put("version", 1);
      catalog.put("expires", Instant.now().plus(Duration.ofDays(30)).toString());
      var catalogModels = catalog.putArray("models");
      catalogModels.add(beta.manifest(p -> List.of(nginx.uri("/slow/beta/" + p))));
      catalogModels.add(delta.manifest(p -> List.of(nginx.uri("/slow/delta/" + p))));
      catalog.putObject("aliases");
      Path unsigned = models.resolve("catalog.json");
      Files.write(unsigned, Models.JSON.writeValueAsBytes(catalog));
      Path signed = models.resolve("catalog.signed.json");
      expectOk(cli, List.of("--home", publisher.toString(), "catalog", "sign", unsigned.toString(),
          "--key", keys.resolve("team.key").toString(), "--out", signed.toString()));

      Optional<String> ociRef = Optional.empty();
      if (registry.isPresent()) {
        expectOk(cli, List.of("--home", publisher.toString(), "install", ociManifest.toString(), "--yes"));
        expectOk(cli, List.of("--home", publisher.toString(), "push", oci.name(),
            "oci://" + registry.get().hostPort() + "/" + OCI_REPO));
        ociRef = Optional.of("oci://127.0.0.1:" + proxy.get().port() + "/" + OCI_REPO);
      } else {
        System.out.println("  rel-oci skipped: " + ociMissing.orElse(""));
      }
      World world = World.create(run.resolve("world"), new Random(random.nextLong()));
      // The user downloaded delta.bin by hand; `soko import` adopts it (a copy: the user's file stays).
      Files.write(Files.createDirectories(world.userDownloads().resolve("rel-delta")).resolve("delta.bin"),
          delta.files().get("delta.bin"));
      Stage s = new Stage(run, cli, world, nginx, registry, proxy, alpha, beta, gamma, oci, delta, alphaManifest,
          gammaManifest, signed, keys.resolve("team.pub.json"), ociRef, ociMissing);
      s.configureCatalog(world);
      return s;
    } catch (IOException | RuntimeException e) {
      proxy.ifPresent(NginxSite::close);
      registry.ifPresent(LocalRegistry::close);
      nginx.close();
      throw e;
    }
  }

  /** Adds the signed catalog to {@code w}'s store and fetches it. */
  void configureCatalog(World w) {
    expectOk(cli, w.args("catalog", "add", signedCatalog.toUri().toString(), "--id", "reliability.models",
        "--trust", trustedKeys.toString()));
    expectOk(cli, w.args("catalog", "update"));
  }

  static Run expectOk(Cli cli, List<String> args) {
    Run r = cli.run(LIMIT, args);
    if (!r.ok()) {
      throw new IllegalStateException("setting up the harness failed: " + r.summary() + "\n" + r.err());
    }
    return r;
  }

  /** The models this stage can install, by name (bundled ones included), with their test bytes when known. */
  List<String> modelNames() {
    List<String> names = new ArrayList<>(List.of("silero-vad", "demo-phrasebook", alpha.name(), beta.name(),
        gamma.name(), delta.name()));
    if (ociRef.isPresent()) {
      names.add(oci.name());
    }
    return names;
  }

  /** The generated models by name: their files must be exactly these bytes when listed. */
  Map<String, Models.Model> generated() {
    Map<String, Models.Model> m = new LinkedHashMap<>();
    for (Models.Model x : List.of(alpha, beta, gamma, oci, delta)) {
      m.put(x.name(), x);
    }
    return m;
  }

  /** The command that installs {@code name}, as a user would run it. */
  List<String> installCommand(String name) {
    return switch (name) {
      case "silero-vad", "demo-phrasebook" -> List.of("install", name);
      case "rel-alpha" -> List.of("install", alphaManifest.toString(), "--yes");
      case "rel-gamma" -> List.of("install", gammaManifest.toString(), "--yes");
      case "rel-beta" -> List.of("pull", beta.name(), "--yes");
      case "rel-oci" -> List.of("pull", ociRef.orElseThrow(), "--yes");
      // The user's downloads folder: delta.bin matches the catalog's rel-delta, model-copy.bin nothing.
      case "rel-delta" -> List.of("import", world.userDownloads().toString(), "--yes");
      default -> throw new IllegalArgumentException(name);
    };
  }

  URI nginxUri(String path) {
    return nginx.uri(path);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it stops the servers
    }
    stopServers();
  }

  private void stopServers() {
    proxy.ifPresent(NginxSite::close);
    registry.ifPresent(LocalRegistry::close);
    try {
      nginx.close();
    } catch (IOException e) {
      System.err.println("cannot stop nginx: " + e);
    }
  }
}
