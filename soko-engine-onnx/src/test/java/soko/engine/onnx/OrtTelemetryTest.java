package soko.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's telemetry stays off for an app that embeds Soko without setting
 * ORT_DISABLE_TELEMETRY itself. Each case is a child JVM started with that variable removed and
 * HOME, XDG_CACHE_HOME and java.io.tmpdir pointing into a fresh folder, so that what ONNX Runtime
 * writes there is visible: its telemetry keeps a device id and an event database under
 * {@code $HOME/.cache/Microsoft/DeveloperTools/.onnxruntime}. The direct case (ONNX Runtime loaded
 * without Soko) shows that this detector sees telemetry when it is on.
 */
class OrtTelemetryTest {
  private static final String TELEMETRY_FOLDER = ".cache/Microsoft/DeveloperTools/.onnxruntime";

  @TempDir Path dir;

  record Run(String out, Path home) {
    List<String> telemetryFiles() throws IOException {
      Path folder = home.resolve(TELEMETRY_FOLDER);
      if (!Files.exists(folder)) {
        return List.of();
      }
      try (Stream<Path> files = Files.walk(folder)) {
        return files.filter(Files::isRegularFile).map(p -> home.relativize(p).toString()).sorted().toList();
      }
    }

    List<String> everythingInHome() throws IOException {
      try (Stream<Path> files = Files.walk(home)) {
        return files.filter(p -> !p.equals(home)).map(p -> home.relativize(p).toString()).sorted().toList();
      }
    }
  }

  @Test
  void loadingThroughSokoTurnsTelemetryOffWithoutTheLauncher() throws Exception {
    Run run = child("soko", Optional.empty());

    assertThat(run.out()).contains("atStart=null"); // the child really started without the variable
    assertThat(run.out()).contains("now=1");        // Soko put it into the C environment before loading
    assertThat(run.everythingInHome()).as("ONNX Runtime wrote nothing into the home folder").isEmpty();
  }

  @Test
  void withoutSokoTheSameChildShowsTelemetryFiles() throws Exception {
    Run run = child("direct", Optional.empty());

    assertThat(run.out()).contains("atStart=null", "now=null");
    assertThat(run.telemetryFiles())
        .as("ONNX Runtime %s loaded directly no longer writes telemetry under $HOME/%s: this test's detector needs"
            + " updating to whatever the new version does", OrtRuntime.version(), TELEMETRY_FOLDER)
        .isNotEmpty();
  }

  @Test
  void aValueTheProcessWasStartedWithIsKept() throws Exception {
    Run run = child("soko", Optional.of("0"));

    assertThat(run.out()).contains("atStart=0", "now=0");
    assertThat(run.telemetryFiles()).as("ORT_DISABLE_TELEMETRY=0 chosen by the user was honoured").isNotEmpty();
  }

  private Run child(String mode, Optional<String> variable) throws IOException, InterruptedException {
    Path root = Files.createTempDirectory(dir, mode);
    Path home = Files.createDirectories(root.resolve("home"));
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Path scratch = root.resolve("scratch");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
        "-cp", System.getProperty("java.class.path"), TelemetryChild.class.getName(), mode));
    if (mode.equals("soko")) {
      cmd.add(scratch.toString());
    }
    Path out = root.resolve("out.txt");
    Path err = root.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove(OrtTelemetry.VARIABLE);
    pb.environment().remove("XDG_CACHE_HOME");
    // ONNX Runtime's telemetry stays off on build servers: with CI set it writes nothing, which would
    // make the test that shows it on without Soko fail in CI and the others pass for the wrong reason.
    for (String ci : List.of("CI", "TF_BUILD", "GITHUB_ACTIONS", "BUILD_ID", "JENKINS_URL", "GITLAB_CI")) {
      pb.environment().remove(ci);
    }
    pb.environment().put("HOME", home.toString());
    pb.environment().put("TMPDIR", tmp.toString());
    variable.ifPresent(v -> pb.environment().put(OrtTelemetry.VARIABLE, v));
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IOException("the child JVM (" + mode + ") did not finish within 120 s");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("child %s\n--- stdout\n%s--- stderr\n%s", mode, stdout,
        Files.readString(err, StandardCharsets.UTF_8)).isZero();
    return new Run(stdout, home);
  }
}
