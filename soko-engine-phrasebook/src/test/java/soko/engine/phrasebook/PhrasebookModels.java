package soko.engine.phrasebook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.model.VerifiedModel;
import soko.runtime.EngineException;
import soko.runtime.EngineOptions;
import soko.runtime.TranslationSession;
import soko.manifest.Task;
import soko.verification.Hashing;

/** Phrasebook models for tests: the bundled one, or one made of given phrase files, under a temp dir. */
final class PhrasebookModels {
  static final String BUNDLED = "soko/bundled/demo-phrasebook/";

  private PhrasebookModels() {}

  /** A file of the bundled model, as shipped on the class path. */
  static byte[] bundledFile(String name) {
    try (InputStream in = PhrasebookModels.class.getClassLoader().getResourceAsStream(BUNDLED + name)) {
      if (in == null) {
        throw new IllegalStateException(BUNDLED + name + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Manifest bundledManifest() throws ManifestException {
    return ManifestCodec.parse(bundledFile("manifest.json"), BUNDLED + "manifest.json");
  }

  /** The bundled model, copied into {@code dir}. */
  static VerifiedModel bundled(Path dir) throws IOException, ManifestException {
    Manifest manifest = bundledManifest();
    Map<String, Path> files = new LinkedHashMap<>();
    for (ModelFile f : manifest.files()) {
      Path p = dir.resolve(f.path().value());
      Files.write(p, bundledFile(f.path().value()));
      files.put(f.path().value(), p);
    }
    return new VerifiedModel(manifest, files, Instant.EPOCH);
  }

  /**
   * A model named like the bundled one whose phrase files have the given contents; each
   * {@code phrasebook-xx-en.tsv} adds a translate xx→en task.
   */
  static VerifiedModel custom(Path dir, Map<String, String> phraseFiles) throws IOException {
    List<TaskSpec> tasks = new ArrayList<>();
    List<ModelFile> modelFiles = new ArrayList<>();
    Map<String, Path> paths = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : phraseFiles.entrySet()) {
      String name = e.getKey();
      tasks.add(TaskSpec.translate(Language.parse(name.substring("phrasebook-".length(), "phrasebook-".length() + 2)), Language.EN));
      Path p = dir.resolve(name);
      Files.writeString(p, e.getValue());
      Hashing.Measured m = Hashing.sha256(p);
      modelFiles.add(new ModelFile(RelativePath.parse(name), m.size(), m.digest(),
          List.of(SourceUri.parse("file:" + p.toAbsolutePath()))));
      paths.put(name, p);
    }
    Manifest manifest = new Manifest(ModelName.parse("demo-phrasebook"), Version.parse("1.0.0"), "test phrases", tasks,
        new EngineRequirement(PhrasebookEngine.ID, VersionRange.parse(">=1.0 <2")),
        new License("CC0-1.0", URI.create("https://creativecommons.org/publicdomain/zero/1.0/"), ""),
        modelFiles, true, Map.of());
    return new VerifiedModel(manifest, paths, Instant.EPOCH);
  }

  /** A phrase file with a header and one {@code source<TAB>english} line per pair of arguments. */
  static String tsv(String... sourceThenEnglish) {
    StringBuilder sb = new StringBuilder("# test phrases\n# source\tenglish\n");
    for (int i = 0; i < sourceThenEnglish.length; i += 2) {
      sb.append(sourceThenEnglish[i]).append('\t').append(sourceThenEnglish[i + 1]).append('\n');
    }
    return sb.toString();
  }

  static TranslationSession open(VerifiedModel model, Path scratch) throws EngineException {
    return new PhrasebookEngine().open(model, Task.TRANSLATE, new EngineOptions(1, scratch, false));
  }
}
