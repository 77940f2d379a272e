package soko.cli.oci;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import soko.cli.Main;

/**
 * Runs {@code soko} with a private home: in this JVM (fast), or as a child process exactly as the
 * launcher does ({@code java … soko.cli.Main}, on this test's class path, so it is always the code
 * under test), with extra environment variables and the option to kill it.
 */
record SokoCli(Path home) {
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private List<String> withHome(String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(List.of(args));
    return all;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(withHome(args).toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** Starts {@code soko ARGS} in a child JVM; its output goes to files next to the home. */
  Process start(Map<String, String> env, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(withHome(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(home.resolveSibling(home.getFileName() + ".out").toFile())
        .redirectError(home.resolveSibling(home.getFileName() + ".err").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs {@code soko ARGS} in a child JVM to the end. */
  Result runChild(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Process p = start(env, args);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("soko " + String.join(" ", args) + " did not finish within 120 s");
    }
    return new Result(p.exitValue(), read(".out"), read(".err"));
  }

  private String read(String suffix) throws IOException {
    return Files.readString(home.resolveSibling(home.getFileName() + suffix), StandardCharsets.UTF_8);
  }
}
