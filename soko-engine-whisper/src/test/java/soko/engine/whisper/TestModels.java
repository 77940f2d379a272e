package soko.engine.whisper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.verification.Hashing;

/** Verified models and audio for engine tests. Tests may construct a VerifiedModel; production code may not. */
final class TestModels {
  static final String MODEL_ID = "whisper-test@1.0.0";
  static final String FILE_NAME = "ggml-test.bin";
  /** whisper.cpp's own test model, read from the shared fixtures when present; never committed. */
  static final Path FIXTURE = Path.of("/work/shared/fixtures/whisper/for-tests-ggml-tiny.bin");

  private TestModels() {}

  /** A model whose manifest names {@code file} as its only file, doing asr and speech-translate for ja and ko. */
  static VerifiedModel verified(Path file) throws IOException {
    return verified(file, List.of(TaskSpec.asr(Language.JA, Language.KO),
        TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO)));
  }

  /** A model of {@code file} whose manifest carries these annotations. */
  static VerifiedModel verified(Path file, Map<String, String> annotations) throws IOException {
    return verified(file, List.of(TaskSpec.asr(Language.JA, Language.KO),
        TaskSpec.speechTranslate(Language.EN, Language.JA, Language.KO)), annotations);
  }

  static VerifiedModel verified(Path file, List<TaskSpec> tasks) throws IOException {
    return verified(file, tasks, Map.of());
  }

  static VerifiedModel verified(Path file, List<TaskSpec> tasks, Map<String, String> annotations) throws IOException {
    Hashing.Measured measured = Hashing.sha256(file);
    Manifest manifest = new Manifest(
        ModelName.parse("whisper-test"),
        Version.parse("1.0.0"),
        "a whisper.cpp ggml model with no tensors, for tests",
        tasks,
        new EngineRequirement(WhisperEngineProvider.ENGINE_ID, VersionRange.parse(">=1.7 <2")),
        new License("MIT", URI.create("https://opensource.org/license/mit"), ""),
        List.of(new ModelFile(RelativePath.parse(FILE_NAME), measured.size(), measured.digest(), List.of())),
        true,
        annotations);
    return new VerifiedModel(manifest, Map.of(FILE_NAME, file), Instant.now());
  }

  /** A 440 Hz tone with a little noise: not speech, but a real signal for the whole pipeline. */
  static Audio tone(double seconds) {
    Random noise = new Random(42);
    float[] s = new float[(int) Math.round(seconds * Audio.SAMPLE_RATE)];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / Audio.SAMPLE_RATE) + 0.02 * noise.nextGaussian());
    }
    return Audio.of(s);
  }

  static Optional<Path> fixture() {
    if (Files.isRegularFile(FIXTURE)) {
      return Optional.of(FIXTURE);
    }
    System.out.println("SKIPPED: whisper.cpp's test model is not at " + FIXTURE + " (it is not part of the repository)");
    return Optional.empty();
  }
}
