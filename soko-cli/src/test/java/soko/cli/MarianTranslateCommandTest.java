package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.engine.onnx.marian.TestMarianModels;

/**
 * {@code soko translate} runs through the ONNX Marian engine on a verified model: a generated
 * random-weight model with the real export's layout, described by {@code soko manifest create} and
 * installed as opus-mt-ja-en. Its English is meaningless; what is checked is the path.
 */
class MarianTranslateCommandTest {
  @TempDir
  Path dir;

  @Test
  void translateUsesTheInstalledMarianModelInsteadOfTheDemoPhrasebook() throws Exception {
    Path model = TestMarianModels.writeTiny(dir.resolve("opus-mt-ja-en"));
    Cli cli = new Cli(dir.resolve("home"));
    assertThat(cli.run("install", "demo-phrasebook").code()).isZero();
    Cli.Result manifest = cli.run("manifest", "create", model.toString(), "--name", "opus-mt-ja-en", "--version", "1.0.0",
        "--license", "CC-BY-4.0", "--license-url", "https://creativecommons.org/licenses/by/4.0/",
        "--attribution", "test model", "--task", "translate:ja:en", "--engine", "onnxruntime:>=1.29");
    assertThat(manifest.code()).as(manifest.toString()).isZero();
    Path manifestFile = dir.resolve("opus-mt-ja-en.json");
    Files.writeString(manifestFile, manifest.out());
    Cli.Result install = cli.run("install", manifestFile.toString());
    assertThat(install.code()).as(install.toString()).isZero();

    Cli.Result translated = cli.run("translate", "--from", "ja", "--json", "こんにちは。ありがとう。");
    assertThat(translated.code()).as(translated.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(translated.out());
    assertThat(json.toString()).contains("opus-mt-ja-en").doesNotContain("demo-phrasebook");

    // A changed model file is re-hashed before use and refused: exit 3, no engine call.
    JsonNode list = new ObjectMapper().readTree(cli.run("list", "--json").out());
    for (JsonNode m : list.get("models")) {
      if (m.get("name").asText().equals("opus-mt-ja-en")) {
        Path blob = Path.of(m.get("files").get(0).get("blob").asText());
        blob.toFile().setWritable(true);
        Files.write(blob, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
      }
    }
    assertThat(cli.run("translate", "--from", "ja", "こんにちは").code()).isEqualTo(3);
  }
}
