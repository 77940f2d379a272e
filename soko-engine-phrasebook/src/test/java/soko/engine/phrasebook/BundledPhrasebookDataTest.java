package soko.engine.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import soko.manifest.Language;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.verification.Hashing;

/** The bundled demo-phrasebook data as committed: its phrase files' format and its manifest's integrity. */
class BundledPhrasebookDataTest {
  private static final int MIN_ENTRIES = 300;

  @ParameterizedTest
  @CsvSource({"phrasebook-ja-en.tsv, ja", "phrasebook-ko-en.tsv, ko"})
  void phraseFileIsWellFormedTwoColumnUtf8WithUniqueSources(String name, String language) throws Exception {
    byte[] bytes = PhrasebookModels.bundledFile(name);
    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)).toString();
    assertThat(text).as("no byte order mark, no CR").doesNotStartWith("\uFEFF").doesNotContain("\r").endsWith("\n");
    String[] lines = text.split("\n");
    Map<String, Integer> seen = new HashMap<>();
    int entries = 0;
    boolean header = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String at = name + " line " + (i + 1) + ": " + line;
      if (line.startsWith("#")) {
        assertThat(entries).as("comments come before the entries: " + at).isZero();
        header |= line.equals("# source\tenglish");
        continue;
      }
      assertThat(header).as("a '# source<TAB>english' header line precedes the entries").isTrue();
      assertThat(line).as(at).isNotEmpty();
      String[] cols = line.split("\t", -1);
      assertThat(cols).as("two columns: " + at).hasSize(2);
      for (String col : cols) {
        assertThat(col).as("no stray white space: " + at).isNotBlank().isEqualTo(col.strip()).doesNotContain("  ")
            .doesNotContain("\u3000");
      }
      String source = cols[0];
      String english = cols[1];
      assertThat(Normalizer.normalize(source, Normalizer.Form.NFKC)).as("source in NFKC form: " + at).isEqualTo(source);
      assertThat(source.codePoints().anyMatch(c -> isScriptOf(language, c))).as("source written in the language's script: " + at).isTrue();
      assertThat(english).as("English, not source script: " + at).matches("[A-Za-z0-9 ,.'?!()/-]+")
          .doesNotEndWith(".").doesNotEndWith(",");
      Integer earlier = seen.put(source.replace(" ", ""), i + 1);
      assertThat(earlier).as("source repeats an earlier line: " + at).isNull();
      entries++;
    }
    assertThat(entries).as(name + " entries").isGreaterThanOrEqualTo(MIN_ENTRIES);
  }

  @Test
  void phraseFilesSayTheyAreADemo() {
    for (String name : List.of("phrasebook-ja-en.tsv", "phrasebook-ko-en.tsv")) {
      assertThat(new String(PhrasebookModels.bundledFile(name), StandardCharsets.UTF_8))
          .contains("DEMO ONLY").contains("not machine translation").contains("CC0 1.0");
    }
  }

  @Test
  void licenceDedicatesTheDataToThePublicDomainUnderCc0() {
    assertThat(new String(PhrasebookModels.bundledFile("LICENSE"), StandardCharsets.UTF_8))
        .contains("CC0 1.0").contains("https://creativecommons.org/publicdomain/zero/1.0/");
  }

  @Test
  void manifestSizesAndDigestsMatchTheCommittedFiles() throws Exception {
    Manifest manifest = PhrasebookModels.bundledManifest();
    assertThat(manifest.files()).extracting(f -> f.path().value())
        .containsExactly("phrasebook-ja-en.tsv", "phrasebook-ko-en.tsv", "LICENSE");
    for (ModelFile f : manifest.files()) {
      byte[] bytes = PhrasebookModels.bundledFile(f.path().value());
      assertThat(bytes.length).as("size of " + f.path() + "; regenerate manifest.json after editing it").isEqualTo(f.size());
      assertThat(Hashing.sha256(bytes)).as("sha256 of " + f.path() + "; regenerate manifest.json after editing it")
          .isEqualTo(f.sha256());
      assertThat(f.sources()).extracting(Object::toString).containsExactly("bundled:demo-phrasebook/" + f.path());
    }
  }

  @Test
  void manifestDescribesADemoTranslatorForJapaneseAndKorean() throws Exception {
    Manifest manifest = PhrasebookModels.bundledManifest();
    assertThat(manifest.id()).isEqualTo("demo-phrasebook@1.0.0");
    assertThat(manifest.demo()).isTrue();
    assertThat(manifest.description()).startsWith("DEMO ONLY — not machine translation:");
    assertThat(manifest.tasks()).containsExactly(TaskSpec.translate(Language.JA, Language.EN),
        TaskSpec.translate(Language.KO, Language.EN));
    assertThat(manifest.engine().id()).isEqualTo("soko-phrasebook");
    assertThat(manifest.engine().versions().text()).isEqualTo(">=1.0 <2");
    assertThat(manifest.license().spdx()).isEqualTo("CC0-1.0");
    assertThat(manifest.license().url()).hasToString("bundled:demo-phrasebook/LICENSE");
    assertThat(manifest.bundled()).isTrue();
    assertThat(manifest.tasks()).allMatch(t -> t.task() == Task.TRANSLATE);
  }

  @Test
  void manifestIsWrittenCanonically() throws Exception {
    byte[] committed = PhrasebookModels.bundledFile("manifest.json");
    assertThat(new String(committed, StandardCharsets.UTF_8))
        .as("manifest.json as ManifestCodec.write produces it; regenerate it with ManifestCodec.write")
        .isEqualTo(new String(ManifestCodec.write(PhrasebookModels.bundledManifest()), StandardCharsets.UTF_8));
  }

  private static boolean isScriptOf(String language, int c) {
    Character.UnicodeScript s = Character.UnicodeScript.of(c);
    return switch (language) {
      case "ja" -> s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA
          || s == Character.UnicodeScript.HAN;
      case "ko" -> s == Character.UnicodeScript.HANGUL;
      default -> throw new IllegalArgumentException(language);
    };
  }
}
