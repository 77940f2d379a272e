package soko.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import soko.manifest.EngineRequirement;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.verification.Hashing;

/** Real files with real hashes, and manifests that point at them with file: sources. */
final class StoreFixtures {
  private StoreFixtures() {}

  /** Writes {@code size} pseudo-random bytes (seeded) to a file. */
  static Path randomFile(Path dir, String name, int size, long seed) throws IOException {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    Files.createDirectories(dir);
    Path p = dir.resolve(name);
    Files.write(p, b);
    return p;
  }

  static ModelFile fileOf(String path, Path source) throws IOException {
    var m = Hashing.sha256(source);
    return new ModelFile(RelativePath.parse(path), m.size(), m.digest(), List.of(new SourceUri(source.toUri())));
  }

  static Manifest manifest(String name, String version, List<ModelFile> files) {
    return new Manifest(ModelName.parse(name), Version.parse(version), "test model", List.of(TaskSpec.vad()),
        new EngineRequirement("test-engine", VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), "test"), files, false, Map.of());
  }

  static Manifest manifest(String name, Path... sources) throws IOException {
    List<ModelFile> files = new ArrayList<>();
    for (Path s : sources) {
      files.add(fileOf(s.getFileName().toString(), s));
    }
    return manifest(name, "1.0.0", files);
  }
}
