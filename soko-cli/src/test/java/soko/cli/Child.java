package soko.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code soko} in a child JVM on this test's class path (so always the code under test) with
 * an environment of the test's choosing: for what only a fresh process shows ($HOME, the locale,
 * signals). Output goes to files in {@code dir}.
 *
 * @param dir where the output files go
 * @param env variables to set; a null value removes the variable
 * @param jvmFlags extra JVM options, such as -Duser.home=… to stand in for the password file's home
 */
record Child(Path dir, Map<String, String> env, List<String> jvmFlags) {
  /** The variables a test's environment may carry that would change where Soko keeps things. */
  static final List<String> STORE_VARIABLES = List.of("SOKO_HOME", "SOKO_LIBRARY", "SOKO_OFFLINE", "XDG_DATA_HOME",
      "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "NO_COLOR", "COLUMNS");

  /** The variables that choose proxies and trusted CAs: a test sets the ones it means. */
  static final List<String> NETWORK_VARIABLES = List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
      "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "SOKO_CA_FILE", "REQUEST_METHOD");

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** The command line of a child JVM running {@code soko ARGS}, optionally behind a launcher prefix. */
  List<String> command(List<String> prefix, String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  Process start(List<String> prefix, String name, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(prefix, args))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    for (String v : STORE_VARIABLES) {
      pb.environment().remove(v);
    }
    for (String v : NETWORK_VARIABLES) {
      pb.environment().remove(v);
    }
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    return pb.start();
  }

  Result finish(Process p, String name) throws IOException, InterruptedException {
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("the child " + name + " did not finish within 180 s");
    }
    return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8));
  }

  /** Runs {@code soko ARGS} to the end. */
  Result run(String... args) throws IOException, InterruptedException {
    String name = "child-" + System.nanoTime();
    return finish(start(List.of(), name, args), name);
  }
}
