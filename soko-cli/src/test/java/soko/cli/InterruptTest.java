package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.testkit.nginx.Nginx;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/**
 * Ctrl-C (SIGINT) in the middle of a download from nginx, and a 40-column terminal (tmux): what a
 * person at a terminal sees.
 */
class InterruptTest {
  static final int SIZE = 6 * 1024 * 1024;

  @TempDir
  Path dir;

  Nginx nginx;
  Path home;
  Path manifest;
  byte[] bytes;

  @BeforeEach
  void serveASlowModel() throws Exception {
    RequiredTool.require(Nginx.unavailableReason());
    nginx = Nginx.start(dir.resolve("nginx"));
    bytes = new byte[SIZE];
    new Random(7).nextBytes(bytes);
    Files.write(nginx.root().resolve("big.bin"), bytes); // /slow/big.bin: 256 KiB, then 1 MiB a second
    home = dir.resolve("home");
    manifest = dir.resolve("big-model.json");
    Files.write(manifest, ManifestCodec.write(new Manifest(ModelName.parse("big-model"), Version.parse("1.0.0"),
        "served slowly by nginx", List.of(TaskSpec.asr(Language.JA)), new EngineRequirement("whisper.cpp", VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), ""),
        List.of(new ModelFile(RelativePath.parse("big.bin"), SIZE, Hashing.sha256(bytes),
            List.of(new SourceUri(nginx.uri("/slow/big.bin"))))), false, Map.of())));
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
  }

  static long partialSize(Path downloads) throws Exception {
    if (!Files.isDirectory(downloads)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(downloads)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".partial")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  long awaitPartial(long atLeast, Process child) throws Exception {
    Path downloads = home.resolve("cache/downloads");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long partial = 0;
    while (System.nanoTime() < deadline && partial < atLeast && child.isAlive()) {
      partial = partialSize(downloads);
      Thread.sleep(50);
    }
    return partial;
  }

  @Test
  void ctrlCMidDownloadKeepsThePartialPrintsOneLineAndExits130ThenTheSameCommandResumes() throws Exception {
    Child child = new Child(dir, Map.of(), List.of());
    // A background job may have SIGINT ignored, and a child inherits that: give it the default back.
    Process p = child.start(List.of("env", "--default-signal=INT"), "pull", "--home", home.toString(), "install",
        manifest.toString(), "--yes");
    long partial = awaitPartial(1_000_000, p);
    assertThat(partial).as("mid-download; nginx: %s", nginx.accessLog()).isBetween(1_000_000L, SIZE - 1L);
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
    Child.Result r = child.finish(p, "pull");

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.INTERRUPTED);
    long kept = partialSize(home.resolve("cache/downloads"));
    assertThat(kept).as("the partial is kept").isBetween(partial, SIZE - 1L);
    assertThat(r.err()).as(r.toString()).isEqualTo("interrupted: " + Format.bytes(kept) + " of " + Format.bytes(SIZE)
        + " kept; run the same command to resume\n");
    assertThat(r.out()).isEmpty();

    Cli.Result resumed = new Cli(home).run("install", manifest.toString(), "--yes");
    assertThat(resumed.code()).as(resumed.toString()).isZero();
    List<Nginx.Entry> log = nginx.awaitEntries(2, Duration.ofSeconds(10));
    assertThat(log.get(1).range()).isEqualTo("bytes=" + kept + "-");
    assertThat(log.get(1).bodyBytesSent()).isEqualTo(SIZE - kept);
  }

  @Test
  void ctrlCWithJsonPrintsTheLineAsAJsonError() throws Exception {
    Child child = new Child(dir, Map.of(), List.of());
    Process p = child.start(List.of("env", "--default-signal=INT"), "json", "--home", home.toString(), "--json",
        "install", manifest.toString(), "--yes");
    assertThat(awaitPartial(500_000, p)).isGreaterThanOrEqualTo(500_000L);
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
    Child.Result r = child.finish(p, "json");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.INTERRUPTED);
    // progress events, one a line, then the error document
    List<com.fasterxml.jackson.databind.JsonNode> documents = CliContractTest.JSON
        .readerFor(com.fasterxml.jackson.databind.JsonNode.class)
        .<com.fasterxml.jackson.databind.JsonNode>readValues(r.out()).readAll();
    assertThat(documents.getFirst().get("event").asText()).isEqualTo("started");
    var last = documents.getLast().get("error");
    assertThat(last.get("type").asText()).isEqualTo("interrupted");
    assertThat(last.get("message").asText()).startsWith("interrupted: ").endsWith(" of " + Format.bytes(SIZE) + " kept; run the same command to resume");
  }

  @Test
  void aFortyColumnTerminalGetsOneLinePerFileNotAWrappedCopyPerUpdate() throws Exception {
    Assumptions.assumeTrue(CompletionAndManPagesTest.installed("tmux"), "skipped: tmux is not installed (apt-get install tmux)");
    Child child = new Child(dir, Map.of(), List.of());
    String command = String.join(" ", child.command(List.of("env", "-u", "COLUMNS", "-u", "NO_COLOR", "TERM=xterm"),
        "--home", home.toString(), "install", manifest.toString(), "--yes").stream().map(InterruptTest::shellQuote).toList())
        + "; echo EXIT=$?; sleep 60";
    String session = "soko-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path socket = dir.resolve("tmux.sock");
    try {
      run("tmux", "-S", socket.toString(), "new-session", "-d", "-s", session, "-x", "40", "-y", "30", command);
      String screen = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline && !screen.contains("EXIT=")) {
        Thread.sleep(200);
        screen = run("tmux", "-S", socket.toString(), "capture-pane", "-p", "-t", session);
      }
      assertThat(screen).as(screen).contains("EXIT=0");
      List<String> rows = screen.lines().toList();
      assertThat(rows.stream().filter(l -> l.contains("big.bin") || l.contains("#")).toList()).as(screen)
          .singleElement().asString().startsWith("big.bin [").contains("] 100%");
      assertThat(rows).allSatisfy(l -> assertThat(Format.width(l)).isLessThanOrEqualTo(40));
      assertThat(rows.stream().filter(l -> l.startsWith("big.bin")).findFirst().orElseThrow()).hasSizeLessThanOrEqualTo(37);
    } finally {
      new ProcessBuilder("tmux", "-S", socket.toString(), "kill-server").start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ctrlCAtTheConsentQuestionEndsAtOnceAndDownloadsNothing() throws Exception {
    Assumptions.assumeTrue(CompletionAndManPagesTest.installed("tmux"), "skipped: tmux is not installed (apt-get install tmux)");
    Child child = new Child(dir, Map.of(), List.of());
    String command = String.join(" ", child.command(List.of(), "--home", home.toString(), "install", manifest.toString())
        .stream().map(InterruptTest::shellQuote).toList()) + "; echo EXIT=$?; sleep 60";
    String session = "soko-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path socket = dir.resolve("tmux.sock");
    try {
      run("tmux", "-S", socket.toString(), "new-session", "-d", "-s", session, "-x", "80", "-y", "30", command);
      String screen = awaitScreen(socket, session, "Download? [y/N]");
      assertThat(screen).contains("Soko wants to download big-model@1.0.0:");
      run("tmux", "-S", socket.toString(), "send-keys", "-t", session, "C-c");
      screen = awaitScreen(socket, session, "EXIT=");
      assertThat(screen).as(screen).contains("EXIT=130").doesNotContain("interrupted:");
      assertThat(nginx.accessLog()).as("nothing requested").isEmpty();
    } finally {
      new ProcessBuilder("tmux", "-S", socket.toString(), "kill-server").start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static String awaitScreen(Path socket, String session, String text) throws Exception {
    String screen = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && !screen.contains(text)) {
      Thread.sleep(200);
      screen = run("tmux", "-S", socket.toString(), "capture-pane", "-p", "-t", session);
    }
    return screen;
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }
}
