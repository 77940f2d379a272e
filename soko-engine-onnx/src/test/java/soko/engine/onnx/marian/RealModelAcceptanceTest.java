package soko.engine.onnx.marian;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opt-in: with {@code SOKO_REAL_MODELS=DIR} naming a folder holding the real exports
 * ({@code DIR/opus-mt-ja-en}, {@code DIR/opus-mt-ko-en}, each laid out like the Hugging Face repo),
 * translates the committed sentences and prints BLEU and chrF against the committed references.
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

  @ParameterizedTest
  @ValueSource(strings = {"ja", "ko"})
  void translatesTheCommittedSentences(String language) throws Exception {
    Optional<Path> root = root();
    String reason = "SOKO_REAL_MODELS is not set; set it to a folder with opus-mt-ja-en/ and opus-mt-ko-en/ to run this";
    if (root.isEmpty()) {
      System.out.println("SKIPPED " + getClass().getSimpleName() + ": " + reason);
    }
    Assumptions.assumeTrue(root.isPresent(), reason);
    Path dir = root.get().resolve("opus-mt-" + language + "-en");
    Assumptions.assumeTrue(Files.isDirectory(dir), dir + " does not exist");
    List<String> sources = new ArrayList<>();
    List<String> references = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream(language + "-en.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] cols = line.split("\t");
          sources.add(cols[0]);
          references.add(cols[1]);
        }
      }
    }
    assertThat(sources).hasSizeGreaterThanOrEqualTo(50);
    try (MarianModel m = MarianModel.load(OrtEnvironment.getEnvironment(), filesUnder(dir), 2)) {
      long start = System.nanoTime();
      List<String> hypotheses = m.translator().translateSentences(sources, m.translator().config().numBeams());
      long ms = (System.nanoTime() - start) / 1_000_000;
      for (int i = 0; i < sources.size(); i++) {
        System.out.println(sources.get(i) + "\t" + hypotheses.get(i) + "\t" + references.get(i));
      }
      double bleu = Scores.bleu(hypotheses, references);
      double chrf = Scores.chrf(hypotheses, references);
      System.out.printf("%s→en: %d sentences, BLEU %.1f, chrF %.1f, %d ms with %d beams%n", language, sources.size(),
          bleu, chrf, ms, m.translator().config().numBeams());
      assertThat(hypotheses).allSatisfy(h -> assertThat(h).isNotBlank());
      assertThat(chrf).as("chrF against our references").isGreaterThan(30);
    }
  }
}
