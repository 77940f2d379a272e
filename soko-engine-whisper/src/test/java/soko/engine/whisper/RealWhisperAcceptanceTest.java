package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.catalog.BuiltinCatalog;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.runtime.EngineOptions;
import soko.runtime.Segment;
import soko.runtime.SpeechSession;
import soko.runtime.audio.Wav;
import soko.testkit.TestAudio;
import soko.verification.Hashing;

/**
 * Opt-in: with {@code SOKO_REAL_MODELS=DIR} naming a folder that holds real whisper.cpp files of the
 * built-in catalog ({@code ggml-small-q5_1.bin}, {@code ggml-kotoba-whisper-v2.0-q5_0.bin}, …, any
 * name), transcribes the committed Japanese and Korean clips with each one and prints its character
 * error rate against the sentence a person would write for the clip.
 *
 * <p>A file is used only when its size and sha256 are those of a built-in catalog entry, whose
 * manifest (and so its declared ggml shape and languages) the engine then checks it against. The
 * test asserts that each transcript is non-empty; the error rate is a figure to report in
 * BENCHMARKS.md, not a threshold: two synthetic clips are too few to grade a model.
 */
class RealWhisperAcceptanceTest {
  /** The clips' sentences as written, with kanji where a person would use them. */
  private static final Map<TestAudio, String> WRITTEN = Map.of(
      TestAudio.JA_16K_MONO, "こんにちは、今日はいい天気ですね",
      TestAudio.KO_16K_MONO, "안녕하세요, 오늘은 날씨가 좋네요");

  @TempDir Path dir;

  @Test
  void transcribesTheCommittedClipsWithEachRealModelFound() throws Exception {
    String root = System.getenv("SOKO_REAL_MODELS");
    skipUnless(root != null && !root.isBlank(), "SOKO_REAL_MODELS is not set; set it to a folder holding"
        + " whisper.cpp files of the built-in catalog (such as ggml-small-q5_1.bin) to run this");
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(root))) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".bin")).sorted().toList();
    }
    List<String> report = new ArrayList<>();
    for (Path file : files) {
      Optional<Manifest> manifest = catalogEntryOf(file);
      if (manifest.isEmpty()) {
        report.add(file.getFileName() + ": not a file of the built-in catalog (size or sha256 differ), not used");
        continue;
      }
      Manifest m = manifest.get();
      var model = new VerifiedModel(m, Map.of(m.files().getFirst().path().toString(), file), Instant.now());
      try (SpeechSession session = (SpeechSession) new WhisperEngineProvider().open(model, Task.ASR,
          new EngineOptions(Runtime.getRuntime().availableProcessors(), dir.resolve("scratch"), true))) {
        for (var clip : WRITTEN.entrySet()) {
          Language language = new Language(clip.getKey().language());
          if (m.tasks().stream().noneMatch(t -> t.covers(Task.ASR, Optional.of(language), Optional.empty()))) {
            continue;
          }
          String text = String.join("", session.transcribe(Wav.read(clip.getKey().path()), language, false).stream()
              .map(Segment::text).toList()).strip();
          assertThat(text).as(m.id() + " on " + clip.getKey().fileName()).isNotEmpty();
          report.add(String.format("%s %s: CER %.1f%% \"%s\"", m.id(), language, 100 * cer(text, clip.getValue()), text));
        }
      }
    }
    report.forEach(line -> System.out.println("REAL WHISPER " + line));
    skipUnless(report.stream().anyMatch(l -> l.contains("CER")), "no file under " + root
        + " is a whisper.cpp file of the built-in catalog");
  }

  @Test
  void characterErrorRateCountsEditsOverTheReferenceIgnoringSpacesAndPunctuation() {
    assertThat(cer("こんにちは今日はいい天気ですね", "こんにちは、今日はいい天気ですね")).isZero();
    assertThat(cer("こんにちは今日は良い天気ですね", "こんにちは、今日はいい天気ですね")).isEqualTo(1.0 / 15);
    assertThat(cer("안녕하세요 오늘은", "안녕하세요, 오늘은 날씨가 좋네요")).isEqualTo(6.0 / 14);
    assertThat(cer("ＡＢＣ", "ABC")).isZero();
    assertThat(cer("", "")).isZero();
    assertThat(cer("x", "")).isEqualTo(1.0);
  }

  /** Character error rate: edit distance over code points after NFKC, without spaces and punctuation. */
  static double cer(String hypothesis, String reference) {
    int[] h = comparable(hypothesis);
    int[] r = comparable(reference);
    int[] previous = new int[h.length + 1];
    int[] current = new int[h.length + 1];
    for (int j = 0; j <= h.length; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= r.length; i++) {
      current[0] = i;
      for (int j = 1; j <= h.length; j++) {
        int substitution = previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return r.length == 0 ? (h.length == 0 ? 0 : 1) : (double) previous[h.length] / r.length;
  }

  private static int[] comparable(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC).codePoints()
        .filter(c -> !Character.isWhitespace(c) && !isPunctuation(c)).toArray();
  }

  private static boolean isPunctuation(int c) {
    int type = Character.getType(c);
    return type >= Character.DASH_PUNCTUATION && type <= Character.OTHER_PUNCTUATION
        || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION;
  }

  private static Optional<Manifest> catalogEntryOf(Path file) throws Exception {
    long size = Files.size(file);
    List<Manifest> sameSize = BuiltinCatalog.load().models().stream()
        .filter(m -> m.engine().id().equals(WhisperEngineProvider.ENGINE_ID))
        .filter(m -> m.files().size() == 1 && m.files().getFirst().size() == size)
        .toList();
    if (sameSize.isEmpty()) {
      return Optional.empty();
    }
    var digest = Hashing.sha256(file).digest();
    return sameSize.stream().filter(m -> m.files().stream().map(ModelFile::sha256).anyMatch(digest::equals)).findFirst();
  }

  private static void skipUnless(boolean condition, String reason) {
    if (!condition) {
      System.out.println("SKIPPED " + RealWhisperAcceptanceTest.class.getSimpleName() + ": " + reason);
    }
    Assumptions.assumeTrue(condition, reason);
  }
}
