package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract later issues and outside checks rely on: exit codes, one-line errors, JSON. */
class CliContractTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path home;

  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(home);
  }

  @Test
  void demoInstallsAndVerifiesTheBundledModels() throws Exception {
    Cli.Result demo = cli.run("demo");
    assertThat(demo.code()).as(demo.toString()).isZero();
    JsonNode list = JSON.readTree(cli.run("list", "--json").out());
    assertThat(list.get("models")).hasSize(2);
    for (JsonNode m : list.get("models")) {
      assertThat(m.get("state").asText()).isEqualTo("verified");
      assertThat(m.get("bundled").asBoolean()).isTrue();
      assertThat(m.get("verifiedAt").asText()).isNotEmpty();
      for (JsonNode f : m.get("files")) {
        assertThat(Path.of(f.get("blob").asText())).exists();
        assertThat(f.get("sha256").asText()).hasSize(64);
      }
    }
    assertThat(list.findValuesAsText("name")).contains("silero-vad", "demo-phrasebook");
  }

  @Test
  void tamperingMakesVerifyExitThreeWithAOneLineFix() throws Exception {
    assertThat(cli.run("install", "silero-vad").code()).isZero();
    JsonNode list = JSON.readTree(cli.run("list", "--json").out());
    Path blob = Path.of(list.get("models").get(0).get("files").get(0).get("blob").asText());
    blob.toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(blob.toFile(), "rw")) {
      raf.seek(100);
      raf.write(0x55);
    }
    Cli.Result verify = cli.run("verify");
    assertThat(verify.code()).as(verify.toString()).isEqualTo(3);
    assertThat(verify.err().lines()).singleElement().asString()
        .startsWith("soko: silero-vad@6.0.0: silero_vad_v6.onnx: sha256 ")
        .endsWith("; run `soko install silero-vad` to repair it");
    Cli.Result json = cli.run("verify", "silero-vad", "--json");
    assertThat(json.code()).isEqualTo(3);
    assertThat(JSON.readTree(json.out()).get("models").get(0).get("state").asText()).isEqualTo("corrupt");
    Cli.Result repair = cli.run("install", "silero-vad");
    assertThat(repair.code()).as(repair.toString()).isZero();
    assertThat(cli.run("verify", "--full").code()).isZero();
  }

  @Test
  void wrongSyntaxIsTwoAndNothingElseIs() throws Exception {
    Cli.Result unknownOption = cli.run("list", "--frobnicate");
    assertThat(unknownOption.code()).isEqualTo(2);
    assertThat(unknownOption.err().lines()).singleElement().asString().startsWith("soko: unknown option '--frobnicate'");
    Cli.Result missingArg = cli.run("install");
    assertThat(missingArg.code()).isEqualTo(2);

    Path bad = home.resolve("bad.json");
    Files.writeString(bad, "{\"schemaVersion\": 1, \"name\": \"../evil\"}");
    Cli.Result invalid = cli.run("install", bad.toString());
    assertThat(invalid.code()).as("an invalid manifest is a failure, not a usage error").isEqualTo(1);
    assertThat(invalid.err()).isEqualTo("soko: " + bad + ": invalid manifest at /name: \"../evil\" is not valid: a model"
        + " name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, such as"
        + " whisper-base; expected a lower-case id such as whisper-base\n");

    try (var files = Files.walk(home.resolve("data"))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> home.relativize(p).toString()))
          .as("a refused manifest writes nothing but the store marker").containsExactly("data/soko-store.json");
    }

    Cli.Result unknown = cli.run("install", "no-such-model");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("soko: no model or alias named \"no-such-model\": run `soko catalog` to see what"
        + " is available, or give a path to a manifest .json file\n");
    assertThat(cli.run("rm", "silero-vad").err())
        .isEqualTo("soko: silero-vad is not installed, so there is nothing to remove (`soko list` shows what is installed)\n");
  }

  @Test
  void errorsAreJsonObjectsWithJsonAndStackTracesOnlyWithVerbose() throws Exception {
    Cli.Result r = cli.run("install", "no-such-model", "--json");
    JsonNode e = JSON.readTree(r.out()).get("error");
    assertThat(e.get("exitCode").asInt()).isEqualTo(1);
    assertThat(e.get("type").asText()).isEqualTo("not-found");
    assertThat(e.get("message").asText()).startsWith("no model or alias named");
    assertThat(r.err()).isEmpty();
    assertThat(cli.run("install", "no-such-model").err()).doesNotContain("\tat ");
    assertThat(cli.run("install", "no-such-model", "--verbose").err()).contains("\tat soko.");
  }

  @Test
  void rmGcAndCacheClearReportBytes() throws Exception {
    cli.run("demo");
    Path partial = home.resolve("cache/downloads/" + "ab".repeat(32) + ".partial");
    Files.write(partial, new byte[4096]);
    JsonNode clear = JSON.readTree(cli.run("cache", "clear", "--json").out());
    assertThat(clear.get("bytesFreed").asLong()).isEqualTo(4096);
    assertThat(clear.get("partialDownloads").asInt()).isEqualTo(1);
    assertThat(clear.get("library").asText()).isEqualTo(home.resolve("library").toString());
    Cli.Result rm = cli.run("rm", "demo-phrasebook");
    assertThat(rm.code()).isZero();
    assertThat(rm.out()).startsWith("removed demo-phrasebook, freed 29.5 KiB");
    JsonNode gc = JSON.readTree(cli.run("gc", "--json").out());
    assertThat(gc.get("bytesFreed").asLong()).isZero();
    JsonNode diag = JSON.readTree(cli.run("diagnostics", "--json").out());
    assertThat(diag.get("models")).hasSize(1);
    assertThat(diag.get("storage").get("models").asLong()).isEqualTo(2327524L + 1075L);
    assertThat(diag.get("machine").get("cores").asInt()).isPositive();
    assertThat(diag.get("engines").findValuesAsText("id")).contains("onnxruntime", "whisper.cpp", "soko-phrasebook");
    assertThat(diag.get("roots").get("origin").asText()).isEqualTo("--home");
  }

  @Test
  void diagnosticsJsonCarriesTheBudgetFieldsOfTheApi() throws Exception {
    assertThat(cli.run("install", "silero-vad").code()).isZero();
    JsonNode none = JSON.readTree(cli.run("diagnostics", "--json").out());
    assertThat(cli.run("config", "set", "budget", "20GiB").code()).isZero();

    JsonNode set = JSON.readTree(cli.run("diagnostics", "--json").out());
    JsonNode config = JSON.readTree(cli.run("config", "list", "--json").out());
    String text = cli.run("diagnostics").out();

    assertThat(none.get("budget").isNull()).isTrue();
    assertThat(none.get("used").asLong()).isEqualTo(2327524L + 1075L);
    assertThat(none.get("warnings")).isEmpty();
    assertThat(set.get("budget")).isEqualTo(config.get("budget"));
    assertThat(set.get("budget").get("bytes").asLong()).isEqualTo(20L << 30);
    assertThat(set.get("budget").get("origin").asText()).isEqualTo("settings");
    assertThat(text).contains("  budget: " + set.get("budget").get("value").asText() + " (from settings), ");
  }
}
