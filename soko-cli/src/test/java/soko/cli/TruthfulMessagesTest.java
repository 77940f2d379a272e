package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.verification.Hashing;

/** Messages say what is true: what a path really is, the size that was really seen, which names are names. */
class TruthfulMessagesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(dir.resolve("home"));
  }

  Path manifest(String source, long size, String sha256) throws Exception {
    Path m = dir.resolve("m-" + Integer.toHexString(source.hashCode()) + ".json");
    Files.writeString(m, """
        {"schemaVersion":1,"name":"local-model","version":"1.0.0","tasks":[{"task":"vad"}],
         "engine":{"id":"onnxruntime"},"license":{"spdx":"MIT","url":"https://example.org/L"},
         "files":[{"path":"model.onnx","size":%d,"sha256":"%s","sources":[%s]}]}
        """.formatted(size, sha256, JSON.writeValueAsString(source)));
    return m;
  }

  Path fifo(String name) throws Exception {
    Path fifo = dir.resolve(name);
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
        "skipped: mkfifo is not available here");
    return fifo;
  }

  /** Runs soko apart from the test's thread, so that an open that blocks fails the test instead of hanging it. */
  Cli.Result runGuarded(String... args) throws Exception {
    return CompletableFuture.supplyAsync(() -> cli.run(args)).get(60, TimeUnit.SECONDS);
  }

  @Test
  void aFileSourceThatIsADeviceAFolderOrAFifoIsNamedForWhatItIs() throws Exception {
    Path fifo = fifo("model.fifo");
    String sha = "ab".repeat(32);
    String[][] cases = {
        {"file:/dev/zero", "/dev/zero is not a regular file but a character device"},
        {dir.toUri().toString(), dir + " is not a regular file but a folder"},
        {fifo.toUri().toString(), fifo + " is not a regular file but a FIFO (named pipe)"}};
    for (String[] c : cases) {
      Cli.Result r = runGuarded("install", manifest(c[0], 10, sha).toString());

      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("soko: no source could provide model.onnx (" + c[1] + "); check the manifest's"
          + " sources\n");
    }
  }

  @Test
  void aManifestThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = fifo("catalog-entry.json");

    Cli.Result r = runGuarded("install", fifo.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: cannot read the manifest " + fifo + ": it is not a regular file but a FIFO"
        + " (named pipe); give a manifest .json file\n");
  }

  @Test
  void aSourceLongerThanTheManifestSaysIsReportedAsLongerNotAsOneByteLonger() throws Exception {
    byte[] big = new byte[2_327_524];
    new Random(5).nextBytes(big);
    Path file = Files.write(dir.resolve("silero_vad_v6.onnx"), big);

    Cli.Result r = cli.run("install", manifest(file.toUri().toString(), 1_048_576, Hashing.sha256(big).hex()).toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("soko: no source could provide model.onnx (" + file.toUri() + " for model.onnx: more"
        + " than 1048576 bytes, expected 1048576; the source is damaged or is not this model's file; try another"
        + " source); check the manifest's sources\n");
  }

  @Test
  void aFileSourceOnAnotherComputerIsRefusedAsAnInvalidManifestNotAnInternalError() throws Exception {
    Path m = manifest("file://fileserver/models/model.onnx", 10, "ab".repeat(32));

    Cli.Result r = cli.run("install", m.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("soko: " + m + ": invalid manifest at /files/0/sources/0: "
        + "\"file://fileserver/models/model.onnx\" is not valid: a file: source names a file on this computer");
  }

  @Test
  void aNameThatIsNoModelNameIsNeverEchoedInAFix() throws Exception {
    Cli.Result rm = cli.run("rm", "../refs/silero-vad");
    Cli.Result verify = cli.run("verify", "../refs/silero-vad");

    assertThat(rm.code()).isEqualTo(1);
    assertThat(rm.err()).isEqualTo("soko: no model is installed under that name: a model name is 1 to 64 lower-case"
        + " letters, digits, '.', '_' or '-', starting with a letter or digit, such as whisper-base; run `soko list` to"
        + " see what is\n");
    assertThat(verify.err()).isEqualTo(rm.err());
    // removing what is not installed never suggests installing it (issue 13, "Wording")
    assertThat(cli.run("rm", "silero-vad").err())
        .isEqualTo("soko: silero-vad is not installed, so there is nothing to remove (`soko list` shows what is installed)\n");
  }
}
