package soko.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short crash run of CI: 20 SIGKILLs of install, pull (nginx and registry), import, gc and rm at
 * random points, each followed by the consistency checks and a re-run. The full run (100+ kills):
 * {@code bash bench/crash.sh}.
 */
class CrashHarnessTest {
  @TempDir
  Path dir;

  @Test
  void twentyKillsLeaveTheStoreConsistentAndNothingOutsideItChanged() throws Exception {
    Path jar = Harness.jar();
    long seed = Harness.seed();
    Tally t = CrashHarness.run(new CrashHarness.Options(seed, 20, dir, jar, Harness.aot(jar)));
    String report = t.report("crash harness, seed " + seed);
    assertThat(t.figure("kills")).as(report).isGreaterThanOrEqualTo(20);
    assertThat(t.unexpected()).as(report).isEmpty();
    assertThat(t.bytesOutside()).as(report).isZero();
  }
}
