package soko.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts {@code java -jar soko-cli.jar ARGS} as child processes, the way a user's shell would, with
 * a clean environment (no {@code SOKO_*} variables of the caller, {@code HOME} and the JVM's temp
 * folder inside the harness's own folder, so that no real credentials or settings are read), and
 * keeps each process's stdout and stderr in files under {@code logs}.
 *
 * <p>Thread-safe: several harness threads may start processes at once.
 */
final class Cli {
  private final Path jar;
  private final Path logs;
  private final List<String> jvm;
  private final Map<String, String> env;
  private final AtomicInteger seq = new AtomicInteger();
  /** Every child still running, so that a harness stopped with Ctrl-C leaves none behind. */
  private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-soko-children"));
  }

  /**
   * @param jar the soko-cli.jar to run
   * @param logs where each process's output goes (created)
   * @param userHome the child's {@code HOME} (created); Soko's roots are always given with {@code --home}
   * @param jvmOptions extra JVM options (for example a trust store)
   * @param env extra environment variables
   */
  Cli(Path jar, Path logs, Path userHome, List<String> jvmOptions, Map<String, String> env) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " does not exist: build it with ./mvnw -pl soko-cli -am package -DskipTests");
    }
    this.jar = jar.toAbsolutePath();
    this.logs = logs;
    try {
      Files.createDirectories(logs);
      Files.createDirectories(userHome);
      Files.createDirectories(userHome.resolve("tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> j = new ArrayList<>();
    j.add(javaBinary());
    // Small, short-lived processes: the serial collector and the C1 compiler start fastest (the
    // harness's models are a few MiB, so hashing speed does not matter). No perf data file in /tmp.
    j.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-Djava.io.tmpdir=" + userHome.resolve("tmp")));
    j.addAll(jvmOptions);
    j.add("-jar");
    j.add(this.jar.toString());
    this.jvm = List.copyOf(j);
    Map<String, String> e = new LinkedHashMap<>();
    e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    e.put("HOME", userHome.toString());
    e.put("LANG", "C.UTF-8");
    e.putAll(env);
    this.env = Map.copyOf(e);
  }

  /** The same jar, logs and home, with more environment variables. */
  Cli withEnv(Map<String, String> more) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.putAll(more);
    Cli c = new Cli(this, e);
    return c;
  }

  private Cli(Cli base, Map<String, String> env) {
    this.jar = base.jar;
    this.logs = base.logs;
    this.jvm = base.jvm;
    this.env = Map.copyOf(env);
  }

  Path jar() {
    return jar;
  }

  /** The java of the harness itself (JDK 25). */
  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Starts {@code soko ARGS}. */
  Running start(List<String> args) {
    int n = seq.incrementAndGet();
    String tag = String.format("%05d-%s", n, args.stream().filter(a -> !a.startsWith("-") && !a.contains("/"))
        .findFirst().orElse("soko").replaceAll("[^\\w.-]", "_"));
    Path out = logs.resolve(tag + ".out");
    Path err = logs.resolve(tag + ".err");
    List<String> cmd = new ArrayList<>(jvm);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      LIVE.add(p);
      p.onExit().thenRun(() -> LIVE.remove(p));
      return new Running(p, args, out, err, System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  /** Runs {@code soko ARGS} to the end, or kills it after {@code limit} and marks it hung. */
  Run run(Duration limit, List<String> args) {
    return start(args).await(limit);
  }

  /** A started process. */
  static final class Running {
    private final Process process;
    private final List<String> args;
    private final Path out;
    private final Path err;
    private final long started;

    private Running(Process process, List<String> args, Path out, Path err, long started) {
      this.process = process;
      this.args = List.copyOf(args);
      this.out = out;
      this.err = err;
      this.started = started;
    }

    boolean alive() {
      return process.isAlive();
    }

    long pid() {
      return process.pid();
    }

    /** Waits at most {@code limit} for the process to exit; kills it and marks it hung if it does not. */
    Run await(Duration limit) {
      try {
        if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          return collect(false, false);
        }
        destroy();
        return collect(false, true);
      } catch (InterruptedException e) {
        destroy();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + args, e);
      }
    }

    /**
     * SIGKILL now (a crash point), if it is still running. Returns the run marked as killed, or as
     * finished when it had already exited by itself.
     */
    Run kill() {
      if (!process.isAlive()) {
        return await(Duration.ofSeconds(10));
      }
      destroy();
      // 128 + SIGKILL: anything else means it exited by itself just before the signal.
      return collect(process.exitValue() == 137, false);
    }

    private void destroy() {
      // Process.destroyForcibly is SIGKILL on Linux: no shutdown hooks, no finally blocks run.
      process.destroyForcibly();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private Run collect(boolean killed, boolean hung) {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      try {
        // Decoded leniently: what a process printed is evidence, even when it is not valid UTF-8.
        return new Run(args, process.exitValue(), killed, hung, new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
            new String(Files.readAllBytes(err), StandardCharsets.UTF_8), took);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
