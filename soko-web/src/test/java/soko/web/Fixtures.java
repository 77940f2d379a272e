package soko.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import soko.app.Settings;
import soko.app.Soko;
import soko.catalog.Catalog;
import soko.catalog.CatalogCodec;
import soko.catalog.CatalogPublisher;
import soko.catalog.SigningKey;
import soko.catalog.TrustedKeys;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.testkit.nginx.Nginx;
import soko.verification.Hashing;

/** Stores, tiny models and signed catalogs for the web tests. */
final class Fixtures {
  static final String CJK = "日本語と한국어のテスト";
  static final String CATALOG_ID = "test.web";

  private Fixtures() {}

  /** Serves {@code soko} on loopback; {@link RawHttp} then sends this run's key, as the page's script does. */
  static WebServer serve(Soko soko) throws Exception {
    WebServer web = WebServer.start(soko, WebServer.LOOPBACK, 0);
    RawHttp.key = web.uri().getQuery().substring("key=".length());
    return web;
  }

  /** Stops what {@link #serve} started (nothing when it did not start). */
  static void stop(@Nullable WebServer web) {
    RawHttp.key = null;
    if (web != null) {
      web.close();
    }
  }

  /** A Soko whose data, cache and library live under {@code home}. */
  static Soko soko(Path home) throws Exception {
    Settings s = Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), false);
    return Soko.open(s);
  }

  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A one-file phrasebook-engine model whose file comes from {@code source}. */
  static Manifest model(String name, String description, byte[] content, SourceUri source) {
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), description,
        List.of(TaskSpec.translate(Language.JA, Language.EN)),
        new EngineRequirement("soko-phrasebook", VersionRange.parse(">=1.0 <2")),
        new License("CC0-1.0", URI.create("https://creativecommons.org/publicdomain/zero/1.0/"), "Test data, CC0."),
        List.of(new ModelFile(RelativePath.parse("data.bin"), content.length, Hashing.sha256(content), List.of(source))),
        false, Map.of());
  }

  /** A phrasebook-engine model with one file per entry of {@code files} (path → bytes), each from {@code source(path)}. */
  static Manifest model(String name, String description, Map<String, byte[]> files,
      java.util.function.Function<String, SourceUri> source) {
    List<ModelFile> list = files.entrySet().stream().map(e -> new ModelFile(RelativePath.parse(e.getKey()),
        e.getValue().length, Hashing.sha256(e.getValue()), List.of(source.apply(e.getKey())))).toList();
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), description,
        List.of(TaskSpec.translate(Language.JA, Language.EN)),
        new EngineRequirement("soko-phrasebook", VersionRange.parse(">=1.0 <2")),
        new License("CC0-1.0", URI.create("https://creativecommons.org/publicdomain/zero/1.0/"), "Test data, CC0."),
        list, false, Map.of());
  }

  /** {@code m} under CC-BY-NC-4.0, marked {@code license.restriction: non-commercial}. */
  static Manifest nonCommercial(Manifest m) {
    return new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(),
        new License("CC-BY-NC-4.0", URI.create("https://creativecommons.org/licenses/by-nc/4.0/"),
            "Test data, non-commercial use only."),
        m.files(), m.demo(), Map.of("license.restriction", "non-commercial"));
  }

  /** A Soko under {@code home} on a computer described by {@code machine} rather than probed. */
  static Soko soko(Path home, soko.inventory.Machine machine) throws Exception {
    Settings s = Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), false);
    return Soko.open(s, java.time.Clock.systemUTC(), new Properties(), machine);
  }

  /** The bytes of every regular file under {@code root}, summed with {@link Files#size}. */
  static long sizeOfFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(p);
      }
    }
    return total;
  }

  /** Installs a tiny model from a file: source under {@code dir}. */
  static void installLocal(Soko soko, Path dir, String name, String description, long seed) throws Exception {
    byte[] content = bytes(64, seed);
    Path file = Files.createDirectories(dir).resolve(name + ".bin");
    Files.write(file, content);
    soko.install(model(name, description, content, SourceUri.parse(file.toUri().toString())), "file:" + file);
  }

  /**
   * Publishes a signed catalog listing {@code models} on {@code nginx} at {@code /catalog.json}
   * and makes {@code soko} trust and fetch it.
   */
  static void publishCatalog(Soko soko, Nginx nginx, List<Manifest> models) throws Exception {
    SigningKey key = CatalogPublisher.generateKey();
    Catalog c = new Catalog(CATALOG_ID, 1, Optional.of(Instant.now().plus(Duration.ofDays(30))), models, List.of());
    byte[] envelope = CatalogPublisher.sign(CatalogCodec.write(c), List.of(key), "test");
    Files.write(nginx.root().resolve("catalog.json"), envelope);
    soko.addCatalog(nginx.uri("/catalog.json"), CATALOG_ID, TrustedKeys.ofPublicKeys(key.publicKey()));
    List<Soko.CatalogUpdate> updates = soko.updateCatalogs();
    if (updates.stream().anyMatch(u -> u.error().isPresent())) {
      throw new IllegalStateException("the test catalog was refused: " + updates);
    }
  }

  /** Every regular file under {@code root} with its size and modification time: "nothing changed" compares these. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
