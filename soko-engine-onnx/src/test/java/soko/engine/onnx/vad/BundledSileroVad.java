package soko.engine.onnx.vad;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;
import soko.manifest.ModelFile;
import soko.model.VerifiedModel;

/** The Silero VAD model bundled in soko-core, copied out of the class path as the store would hand it over. */
final class BundledSileroVad {
  static final String FOLDER = "soko/bundled/silero-vad/";

  private BundledSileroVad() {}

  static Manifest manifest() throws IOException, ManifestException {
    return ManifestCodec.parse(resource("manifest.json"), FOLDER + "manifest.json");
  }

  /** Copies each file of the bundled manifest into {@code dir} and returns the model. */
  static VerifiedModel copyTo(Path dir) throws IOException, ManifestException {
    Manifest manifest = manifest();
    Map<String, Path> files = new LinkedHashMap<>();
    for (ModelFile f : manifest.files()) {
      Path target = dir.resolve(f.path().value());
      Files.write(target, resource(f.path().value()));
      files.put(f.path().value(), target);
    }
    return new VerifiedModel(manifest, files, Instant.now());
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = BundledSileroVad.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IOException(FOLDER + name + " is not on the test class path; soko-core bundles it");
      }
      return in.readAllBytes();
    }
  }
}
