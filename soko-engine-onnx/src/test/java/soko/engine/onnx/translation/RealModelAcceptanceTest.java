package soko.engine.onnx.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import soko.manifest.Language;

/**
 * Opt-in: with {@code SOKO_REAL_MODELS=DIR} naming a folder that holds real exports laid out like
 * their Hugging Face repositories ({@code DIR/opus-mt-ja-en}, {@code DIR/opus-mt-ko-en},
 * {@code DIR/m2m100_418M}, {@code DIR/nllb-200-distilled-600M}), translates the committed Japanese
 * and Korean sentences and prints each translation, corpus BLEU and chrF (sacreBLEU's definitions,
 * see {@link Scores}) against the committed references. It asserts only that every translation is
 * non-empty and that the tokenizer knows most of the input: quality is a figure to report.
 */
class RealModelAcceptanceTest {
  static Optional<Path> root() {
    String dir = System.getenv("SOKO_REAL_MODELS");
    return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
  }

  static Map<String, Path> filesUnder(Path dir) throws Exception {
    Map<String, Path> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), p);
      }
    }
    return files;
  }

  static void skipUnless(boolean condition, String reason) {
    if (!condition) {
      System.out.println("SKIPPED " + RealModelAcceptanceTest.class.getSimpleName() + ": " + reason);
    }
    Assumptions.assumeTrue(condition, reason);
  }

  @ParameterizedTest(name = "{0} {1}→en")
  @CsvSource({"opus-mt-ja-en, ja", "opus-mt-ko-en, ko", "m2m100_418M, ja", "m2m100_418M, ko",
      "nllb-200-distilled-600M, ja", "nllb-200-distilled-600M, ko"})
  void translatesTheCommittedSentences(String model, String language) throws Exception {
    Optional<Path> root = root();
    skipUnless(root.isPresent(), "SOKO_REAL_MODELS is not set; set it to a folder holding opus-mt-ja-en/,"
        + " opus-mt-ko-en/, m2m100_418M/ or nllb-200-distilled-600M/ as laid out on Hugging Face to run this");
    Path dir = root.get().resolve(model);
    skipUnless(Files.isDirectory(dir), dir + " does not exist");
    List<String> sources = new ArrayList<>();
    List<String> references = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/soko/engine/onnx/marian/" + language + "-en.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] cols = line.split("\t");
          sources.add(cols[0]);
          references.add(cols[1]);
        }
      }
    }
    assertThat(sources).hasSizeGreaterThanOrEqualTo(50);
    Language from = new Language(language);
    try (TranslationModel m = TranslationModel.load(TestOrt.environment(), filesUnder(dir), 2)) {
      TextCodec codec = m.translator().codec();
      long tokens = 0;
      long unknown = 0;
      for (String s : sources) {
        for (int id : codec.encodeText(s)) {
          tokens++;
          if (codec.unknownId().isPresent() && id == codec.unknownId().getAsInt()) {
            unknown++;
          }
        }
      }
      int beams = m.translator().config().numBeams();
      long start = System.nanoTime();
      List<String> hypotheses = m.translator().translateSentences(sources, from, Language.EN, beams);
      long ms = (System.nanoTime() - start) / 1_000_000;
      for (int i = 0; i < sources.size(); i++) {
        System.out.println(sources.get(i) + "\t" + hypotheses.get(i) + "\t" + references.get(i));
      }
      System.out.printf("%s %s→en: %d sentences, BLEU %.1f, chrF %.1f, %d ms with %d beams, %s decoder, %s,"
              + " %d of %d input tokens unknown%s%n", model, language, sources.size(),
          Scores.bleu(hypotheses, references), Scores.chrf(hypotheses, references), ms, beams,
          m.onnx().layout().name().toLowerCase(java.util.Locale.ROOT),
          m.translator().batchesSentences() ? "batched" : "one sentence at a time (int8)", unknown, tokens,
          codec instanceof TokenizerCodec t && t.approximatesNormalizer()
              ? "; tokenizer.json has no charsmap, nmt_nfkc approximated" : "");
      assertThat(hypotheses).allSatisfy(h -> assertThat(h).isNotBlank());
      assertThat(unknown).as("unknown input tokens").isLessThan(tokens / 2);
    }
  }
}
