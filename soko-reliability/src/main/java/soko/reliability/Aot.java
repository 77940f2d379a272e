package soko.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's ahead-of-time class cache for soko-cli.jar, made the way the {@code ./soko} launcher
 * makes it (one training run of {@code soko.cli.AotTraining}): the harnesses start hundreds of
 * short {@code soko} processes, and the cache cuts each one's CPU time by about a third. Without
 * it (training failed, or the class is gone) the processes simply start without a cache.
 */
final class Aot {
  private Aot() {}

  /**
   * A cache for {@code jar} in {@code dir}, reused while it is newer than the jar; made now
   * otherwise (about ten seconds of CPU). Empty when it cannot be made; the reason is printed.
   */
  static synchronized Optional<Path> cacheFor(Path jar, Path dir) {
    try {
      Files.createDirectories(dir);
      Path cache = dir.resolve("soko-cli.aot");
      if (Files.exists(cache) && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        return Optional.of(cache);
      }
      Path scratch = Files.createTempDirectory(dir, "aot-training-");
      Path tmp = dir.resolve("soko-cli.aot.tmp");
      Process p = new ProcessBuilder(List.of(Cli.javaBinary(), "-XX:+UseSerialGC", "-XX:AOTCacheOutput=" + tmp,
          "-Djava.io.tmpdir=" + scratch, "-cp", jar.toString(), "soko.cli.AotTraining", scratch.resolve("home").toString()))
          .redirectErrorStream(true).redirectOutput(scratch.resolve("log").toFile()).start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      deleteTree(scratch);
      if (p.exitValue() != 0 || !Files.exists(tmp)) {
        System.out.println("  no AOT cache (soko processes start without one): training exited " + p.exitValue());
        return Optional.empty();
      }
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(cache);
    } catch (IOException e) {
      System.out.println("  no AOT cache (soko processes start without one): " + e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The JVM options that use {@code cache}: silent when the JVM decides not to. */
  static List<String> options(Optional<Path> cache) {
    return cache.map(c -> List.of("-XX:AOTCache=" + c, "-Xlog:aot=off", "-Xlog:cds=off")).orElse(List.of());
  }
}
