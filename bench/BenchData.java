import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import soko.manifest.EngineRequirement;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
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

/**
 * Makes the data bench/run.sh measures, through Soko's own store API (so the store is exactly what
 * an install leaves). Commands:
 *
 * <pre>
 * install HOME NAME FILE...         install a model whose files are FILE... (copied into the store)
 * many HOME MODELS FILES [BYTES]    install MODELS models of FILES distinct small files each
 * manifest NAME URL FILE OUT        write a manifest for FILE with URL as its only source
 * </pre>
 */
public class BenchData {
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "install" -> install(Path.of(args[1]), args[2], args.length - 3, i -> Path.of(args[3 + i]));
      case "many" -> many(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          args.length > 4 ? Integer.parseInt(args[4]) : 2048);
      case "manifest" -> Files.write(Path.of(args[4]), ManifestCodec.write(manifest(args[1],
          List.of(file(Path.of(args[3]), URI.create(args[2]))))));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  interface PathAt {
    Path at(int i);
  }

  static Store store(Path home) throws Exception {
    return Store.open(new StoreRoots(home.resolve("data"), home.resolve("cache"), home.resolve("library")),
        Clock.systemUTC());
  }

  static void install(Path home, String name, int count, PathAt files) throws Exception {
    Store store = store(home);
    List<ModelFile> mf = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      mf.add(file(files.at(i), files.at(i).toAbsolutePath().toUri()));
    }
    Manifest m = manifest(name, mf);
    try (Store.Install in = store.beginInstall(m)) {
      for (int i = 0; i < count; i++) {
        try (var is = Files.newInputStream(files.at(i))) {
          store.putBlob(mf.get(i), is, files.at(i).toString());
        }
      }
      in.commit("bench");
    }
  }

  static void many(Path home, int models, int files, int bytes) throws Exception {
    Store store = store(home);
    Random r = new Random(42);
    for (int m = 0; m < models; m++) {
      List<ModelFile> mf = new ArrayList<>();
      List<byte[]> data = new ArrayList<>();
      for (int f = 0; f < files; f++) {
        byte[] b = new byte[bytes];
        r.nextBytes(b);
        data.add(b);
        mf.add(new ModelFile(RelativePath.parse("part-" + f + ".bin"), b.length, Hashing.sha256(b),
            List.of(new SourceUri(URI.create("https://models.example.org/m" + m + "/part-" + f + ".bin")))));
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

  static ModelFile file(Path p, URI source) throws Exception {
    Hashing.Measured h = Hashing.sha256(p);
    return new ModelFile(RelativePath.parse(p.getFileName().toString()), h.size(), h.digest(),
        List.of(new SourceUri(source)));
  }

  static Manifest manifest(String name, List<ModelFile> files) {
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "benchmark model", List.of(TaskSpec.vad()),
        new EngineRequirement("none", VersionRange.ANY),
        new License("MIT", URI.create("https://opensource.org/license/mit"), ""), files, false, Map.of());
  }
}
