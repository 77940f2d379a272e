package soko.engine.onnx.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.model.VerifiedModel;

/**
 * The JVM exits while other threads create Silero sessions (Ctrl-C during {@code soko vad}, a
 * test JVM ending beside a load): ONNX Runtime's Java binding registers a shutdown hook of its own
 * ({@code OrtEnvironment$OrtEnvCloser}) that releases the native environment while {@code
 * OrtSession.createSession} still uses it in another thread, and the process dies of SIGSEGV
 * (exit 134, {@code libonnxruntime.so+0xeb23a3}, a crash log in the working folder). Without
 * {@code OrtEnvironmentPin}, 20 of 20 such children crashed on a busy two-core machine; with it,
 * none of 20. Four children, each exiting after a different
 * delay, take a few seconds each; the test asserts outcomes only (exit code, no crash log), no
 * timing.
 */
class ExitDuringLoadTest {
  @TempDir
  Path dir;

  @Test
  void exitingDuringParallelLoadsEndsCleanlyWithoutACrashLog() throws Exception {
    VerifiedModel model = BundledSileroVad.copyTo(Files.createDirectory(dir.resolve("model")));
    Path onnx = model.fileEndingWith(".onnx").orElseThrow();
    Path scratch = Files.createDirectory(dir.resolve("scratch"));
    String java = ProcessHandle.current().info().command().orElse("java");
    long[] delays = {30, 100, 240, 380};
    for (int i = 0; i < delays.length; i++) {
      Path cwd = Files.createDirectory(dir.resolve("run-" + i));
      Path log = dir.resolve("run-" + i + ".log");
      Process p = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          ExitDuringLoadChild.class.getName(), scratch.toString(), onnx.toString(), String.valueOf(delays[i])))
          .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child %d ended", i).isTrue();
      String out = Files.readString(log, StandardCharsets.UTF_8);
      try (Stream<Path> files = Files.list(cwd)) {
        assertThat(files.map(f -> f.getFileName().toString())).as("crash logs of child %d:\n%s", i, out).isEmpty();
      }
      assertThat(p.exitValue()).as("child %d:\n%s", i, out).isZero();
      assertThat(out).contains("exiting").doesNotContain("load failed");
    }
  }
}
