package soko.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
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
import soko.store.Store;
import soko.store.StoreRoots;
import soko.verification.Hashing;

/** Stores and files for the benchmarks, made through Soko's own store API. */
final class Fixtures {
  private Fixtures() {}

  /** A scratch folder under {@code -Dsoko.bench.dir} (default: the temp folder). */
  static Path scratch(String prefix) throws IOException {
    Path base = Path.of(System.getProperty("soko.bench.dir", System.getProperty("java.io.tmpdir")));
    return Files.createTempDirectory(Files.createDirectories(base), prefix);
  }

  static Store store(Path home) throws Exception {
    return Store.open(new StoreRoots(home.resolve("data"), home.resolve("cache"), home.resolve("library")),
        Clock.systemUTC());
  }

  /** Writes {@code mib} MiB of pseudo-random bytes. */
  static Path randomFile(Path file, int mib) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Random r = new Random(7);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < mib; i++) {
        r.nextBytes(chunk);
        out.write(chunk);
      }
    }
    return file;
  }

  static Manifest manifest(String name, List<ModelFile> files) {
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "benchmark model", List.of(TaskSpec.vad()),
        new EngineRequirement("none", VersionRange.ANY),
        new License("MIT", URI.create("https://opensource.org/license/mit"), ""), files, false, Map.of());
  }

  static ModelFile file(String path, long size, soko.verification.Digest sha256) {
    return new ModelFile(RelativePath.parse(path), size, sha256,
        List.of(new SourceUri(URI.create("https://models.example.org/" + path))));
  }

  /** Installs a model whose only file is {@code file}. */
  static void installFile(Store store, String name, Path file) throws Exception {
    Hashing.Measured h = Hashing.sha256(file);
    ModelFile mf = file(file.getFileName().toString(), h.size(), h.digest());
    Manifest m = manifest(name, List.of(mf));
    try (Store.Install in = store.beginInstall(m); InputStream is = Files.newInputStream(file)) {
      store.putBlob(mf, is, file.toString());
      in.commit("bench");
    }
  }

  /** Installs {@code models} models of {@code files} distinct 2 KiB files each. */
  static void installMany(Store store, int models, int files) throws Exception {
    Random r = new Random(42);
    for (int m = 0; m < models; m++) {
      List<ModelFile> mf = new ArrayList<>();
      List<byte[]> data = new ArrayList<>();
      for (int f = 0; f < files; f++) {
        byte[] b = new byte[2048];
        r.nextBytes(b);
        data.add(b);
        mf.add(file("m" + m + "/part-" + f + ".bin", b.length, Hashing.sha256(b)));
      }
      Manifest man = manifest(String.format("bench-model-%04d", m), mf);
      try (Store.Install in = store.beginInstall(man)) {
        for (int f = 0; f < files; f++) {
          store.putBlob(mf.get(f), new ByteArrayInputStream(data.get(f)), "bench");
        }
        in.commit("bench");
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        file.toFile().setWritable(true);
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
