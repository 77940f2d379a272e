package soko.acquisition.oci;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
import soko.verification.Digest;
import soko.verification.Hashing;

/** A small model on disk: a weight file of a chosen size, a tokenizer and a README, plus a licence text. */
record TestModel(Manifest manifest, Map<Digest, Path> blobs, Path licenseText) {
  /** The push time given to {@link ModelPack#write} in tests, so that the bytes are known. */
  static final java.time.Instant CREATED = java.time.Instant.parse("2026-03-04T05:06:07Z");

  static TestModel create(Path dir, String name, int weightBytes) throws IOException {
    Files.createDirectories(dir);
    byte[] weight = new byte[weightBytes];
    new Random(weightBytes + name.hashCode()).nextBytes(weight);
    Map<String, byte[]> contents = new java.util.LinkedHashMap<>();
    contents.put("README.md", ("# " + name + "\nA test model.\n").getBytes(StandardCharsets.UTF_8));
    contents.put("ggml-test.bin", weight);
    contents.put("tokenizer/vocab.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    List<ModelFile> files = new ArrayList<>();
    Map<Digest, Path> blobs = new HashMap<>();
    for (var e : contents.entrySet()) {
      Path f = dir.resolve(e.getKey().replace('/', '_'));
      Files.write(f, e.getValue());
      Digest d = Hashing.sha256(e.getValue());
      blobs.put(d, f);
      files.add(new ModelFile(RelativePath.parse(e.getKey()), e.getValue().length, d,
          List.of(SourceUri.parse("https://models.example.org/" + name + "/" + e.getKey()))));
    }
    Path license = dir.resolve("LICENSE.txt");
    Files.writeString(license, "MIT License\n\nCopyright (c) test\n");
    Manifest m = new Manifest(ModelName.parse(name), Version.parse("1.2.0"), "Whisper-style test model",
        List.of(TaskSpec.asr(Language.JA, Language.KO), TaskSpec.speechTranslate(Language.EN, Language.JA)),
        new EngineRequirement("whisper.cpp", VersionRange.parse(">=1.7")),
        new License("MIT", URI.create("https://example.org/LICENSE"), "Test Team"),
        files, false, Map.of("origin", "test"));
    return new TestModel(m, blobs, license);
  }

  Path blob(Digest d) {
    Path p = blobs.get(d);
    if (p == null) {
      throw new IllegalArgumentException("no blob " + d);
    }
    return p;
  }

  Optional<Path> license() {
    return Optional.of(licenseText);
  }
}
