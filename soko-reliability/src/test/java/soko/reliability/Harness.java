package soko.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** What the short harness tests share: the jar under test, the seed and the AOT cache. */
final class Harness {
  private Harness() {}

  /**
   * The soko-cli.jar this reactor packaged ({@code -Dsoko.cli.jar}, set by the pom). Skips, with the
   * reason, when it is missing or older than soko-cli's classes (a `./mvnw test` without package).
   */
  static Path jar() throws Exception {
    Path jar = Path.of(System.getProperty("soko.cli.jar", "../soko-cli/target/soko-cli.jar")).toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isRegularFile(jar), () -> "skipped: " + jar
        + " is missing; these harnesses drive the packaged CLI, so run `./mvnw verify` (it packages soko-cli first)");
    Path classes = jar.getParent().resolve("classes/soko/cli/Main.class");
    Assumptions.assumeTrue(!Files.exists(classes)
            || !Files.getLastModifiedTime(classes).toInstant().isAfter(Files.getLastModifiedTime(jar).toInstant()),
        () -> "skipped: " + jar + " is older than soko-cli's classes; run `./mvnw verify` so that the tested jar is current");
    soko.testkit.RequiredTool.require(Stage.unavailableReason());
    return jar;
  }

  /** {@code -Dsoko.reliability.seed=N} reproduces a run; otherwise a new seed, printed by the harness. */
  static long seed() {
    String s = System.getProperty("soko.reliability.seed", "");
    long seed = s.isBlank() ? new SecureRandom().nextLong() & 0xffffffffL : Long.parseLong(s);
    System.out.println("seed " + seed + " (rerun with -Dsoko.reliability.seed=" + seed + ")");
    return seed;
  }

  static Optional<Path> aot(Path jar) {
    return Aot.cacheFor(jar, Path.of(System.getProperty("soko.reliability.aot.dir", "target/aot")));
  }
}
