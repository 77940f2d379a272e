package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.verification.Hashing;

/**
 * Text from outside (manifests, catalogs) never reaches the terminal raw: {@code soko} runs as a
 * child process, exactly as the launcher runs it, and the raw bytes of what it writes carry no
 * ESC, BEL, NUL, C1 CSI or bidi control, while the JSON output keeps the text as it was.
 */
class HostileOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** ESC sequences that erase the line, move up, set the window title; BEL, NUL, C1 CSI, bidi override and isolate. */
  static final String HOSTILE = "\u001b[2K\u001b[1A\u001b]0;pwned\u0007\u0000\u009b31m\u202eevil\u2066x\u2069";

  @TempDir
  Path dir;

  record Run(int code, byte[] out, byte[] err) {
    String outText() {
      return new String(out, StandardCharsets.UTF_8);
    }

    String errText() {
      return new String(err, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + outText() + "--- stderr\n" + errText();
    }
  }

  static List<String> javaCommand(Path home, String... args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--home", home.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static Run run(List<String> command, byte[] stdin) throws Exception {
    Process p = new ProcessBuilder(command).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    } catch (IOException closedEarly) {
      // the child did not read its input
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish within 120 s");
    }
    return new Run(p.exitValue(), out.get(), err.get());
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Fails when the bytes hold a terminal control or a bidi control, raw. */
  static void assertNoRawControls(byte[] bytes, String what) {
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean c0 = b < 0x20 && b != '\n' && b != '\r';
      boolean c1 = b == 0xc2 && i + 1 < bytes.length && (bytes[i + 1] & 0xff) >= 0x80 && (bytes[i + 1] & 0xff) <= 0x9f;
      boolean bidi = b == 0xe2 && i + 2 < bytes.length && (((bytes[i + 1] & 0xff) == 0x80
          && (bytes[i + 2] & 0xff) >= 0xaa && (bytes[i + 2] & 0xff) <= 0xae)
          || ((bytes[i + 1] & 0xff) == 0x81 && (bytes[i + 2] & 0xff) >= 0xa6 && (bytes[i + 2] & 0xff) <= 0xa9));
      if (c0 || c1 || bidi || b == 0x7f) {
        bad.write(b);
      }
    }
    assertThat(bad.toByteArray()).as(what + " holds raw control bytes:\n" + new String(bytes, StandardCharsets.UTF_8))
        .isEmpty();
  }

  /** A valid manifest with one file: source, whose licence expression and attribution are hostile. */
  Path hostileLicenceManifest(String source, long size, String sha256) throws IOException {
    String json = """
        {"schemaVersion":1,"name":"hostile-licence","version":"1.0.0","tasks":[{"task":"vad"}],
         "engine":{"id":"onnxruntime"},
         "license":{"spdx":%s,"url":"https://example.org/L","attribution":%s},
         "files":[{"path":"model.onnx","size":%d,"sha256":"%s","sources":[%s]}]}
        """.formatted(JSON.writeValueAsString("(MIT" + HOSTILE + ")"),
        JSON.writeValueAsString("\r" + HOSTILE + "  from   evil.example"), size, sha256, JSON.writeValueAsString(source));
    Path m = dir.resolve("hostile-licence.json");
    Files.writeString(m, json);
    return m;
  }

  @Test
  void anInvalidManifestsErrorIsOneEscapedLineWithItsReasonAndJsonKeepsTheText() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"schemaVersion\":1,\"name\":" + JSON.writeValueAsString(HOSTILE) + "}");
    Path newline = dir.resolve("newline.json");
    Files.writeString(newline, "{\"schemaVersion\":1,\"name\":\"m\",\"version\":\"1.0.0\\nsoko: all good\"}");

    Run r = run(javaCommand(dir.resolve("home"), "install", bad.toString()), new byte[0]);
    Run nl = run(javaCommand(dir.resolve("home"), "install", newline.toString()), new byte[0]);
    Run json = run(javaCommand(dir.resolve("home"), "install", bad.toString(), "--json"), new byte[0]);

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertNoRawControls(r.err(), "stderr");
    assertThat(r.errText()).isEqualTo("soko: " + bad + ": invalid manifest at /name: \"\\u001b[2K\\u001b[1A\\u001b]0;pwned"
        + "\\u0007\\u0000\\u009b31m\\u202eevil\\u2066x\\u2069\" is not valid: a model name is 1 to 64 lower-case letters,"
        + " digits, '.', '_' or '-', starting with a letter or digit, such as whisper-base; expected a lower-case id such"
        + " as whisper-base\n");
    assertThat(nl.code()).isEqualTo(1);
    assertThat(nl.errText().lines()).singleElement().asString()
        .contains("\"1.0.0\\nsoko: all good\" is not valid: a version is semver");
    assertThat(json.code()).isEqualTo(1);
    // The parser quotes the value JSON-style (control characters escaped) in the library's own
    // message; the JSON output carries that message as it is, not through the terminal sanitizer.
    assertThat(JSON.readTree(json.out()).get("error").get("message").asText())
        .contains("\"\\u001b[2K\\u001b[1A\\u001b]0;pwned\\u0007\\u0000\\u009b31m\u202eevil\u2066x\u2069\"");
  }

  @Test
  void listShowsAHostileLicenceEscaped() throws Exception {
    byte[] model = "model bytes".getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("model.onnx");
    Files.write(file, model);
    Path m = hostileLicenceManifest(file.toUri().toString(), model.length, Hashing.sha256(model).hex());
    Run install = run(javaCommand(dir.resolve("home"), "install", m.toString()), new byte[0]);
    assertThat(install.code()).as(install.toString()).isZero();

    Run list = run(javaCommand(dir.resolve("home"), "list"), new byte[0]);
    Run verify = run(javaCommand(dir.resolve("home"), "verify"), new byte[0]);

    assertThat(list.code()).as(list.toString()).isZero();
    assertNoRawControls(list.out(), "list");
    assertThat(list.outText()).contains("(MIT\\u001b[2K\\u001b[1A\\u001b]0;pwned\\u0007\\u0000\\u009b31m\\u202eevil");
    assertNoRawControls(verify.out(), "verify");
  }

  @Test
  void theConsentPromptOnATerminalShowsAHostileAttributionEscaped() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")),
        "skipped: /usr/bin/script (util-linux) is needed to give soko a terminal");
    Path m = hostileLicenceManifest("https://models.example.org/model.onnx", 5, "ab".repeat(32));
    StringBuilder shell = new StringBuilder();
    for (String a : javaCommand(dir.resolve("home"), "install", m.toString())) {
      shell.append('\'').append(a.replace("'", "'\\''")).append("' ");
    }

    // script gives the child a terminal; the answer "n" refuses, so nothing is downloaded.
    Run r = run(List.of("/usr/bin/script", "-q", "-e", "-c", shell.toString(), "/dev/null"),
        "n\n".getBytes(StandardCharsets.UTF_8));

    assertThat(r.code()).as(r.toString()).isEqualTo(4);
    assertNoRawControls(r.out(), "the terminal");
    assertThat(r.outText()).contains("  from      models.example.org\r\n")
        .contains("            \\r\\u001b[2K\\u001b[1A\\u001b]0;pwned\\u0007\\u0000\\u009b31m\\u202eevil\\u2066x\\u2069"
            + "  from   evil.example\r\n")
        .contains("Download? [y/N]");
  }
}
