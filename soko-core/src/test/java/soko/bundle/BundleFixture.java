package soko.bundle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import soko.app.Settings;
import soko.app.Soko;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.verification.Hashing;

/** Stores and a custom model (real files with real hashes) for bundle tests. */
final class BundleFixture {
  private BundleFixture() {}

  static Soko soko(Path home) throws Exception {
    Settings s = Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), false);
    return Soko.open(s, Clock.systemUTC(), new Properties());
  }

  static Soko offline(Path home) throws Exception {
    Settings s = Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), true);
    return Soko.open(s, Clock.systemUTC(), new Properties());
  }

  /**
   * A model of two files written into {@code dir} (a weights file of {@code size} seeded random
   * bytes and a tokenizer.json), with {@code file:} sources, as its manifest JSON.
   */
  static String teamModelJson(Path dir, String name, String version, int size, long seed) throws Exception {
    Files.createDirectories(dir);
    byte[] weights = new byte[size];
    new Random(seed).nextBytes(weights);
    byte[] tokenizer = ("{\"model\":\"" + name + "\",\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
    Path w = dir.resolve("weights.onnx");
    Path t = dir.resolve("tokenizer.json");
    Files.write(w, weights);
    Files.write(t, tokenizer);
    return """
        {"schemaVersion":1,"name":"%s","version":"%s","tasks":[{"task":"translate","from":"ja","to":"en"}],
         "engine":{"id":"onnxruntime","version":">=1.17"},
         "license":{"spdx":"MIT","url":"https://example.org/LICENSE","attribution":"Example team"},
         "files":[{"path":"weights.onnx","size":%d,"sha256":"%s","sources":["%s"]},
                  {"path":"tokenizer.json","size":%d,"sha256":"%s","sources":["%s"]}]}
        """.formatted(name, version, weights.length, hex(weights), w.toUri(), tokenizer.length, hex(tokenizer), t.toUri());
  }

  static Manifest parse(String json) throws Exception {
    return ManifestCodec.parse(json.getBytes(StandardCharsets.UTF_8), "test");
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(Hashing.newSha256().digest(b));
  }
}
