package soko.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short concurrency run of CI: 4 processes × 6 random operations on one store, checked after
 * each round of 3. The full run (4 × 50): {@code bash bench/reliability.sh concurrency}.
 */
class ConcurrencyHarnessTest {
  @TempDir
  Path dir;

  @Test
  void fourProcessesAtOnceLeaveTheStoreConsistent() throws Exception {
    Path jar = Harness.jar();
    long seed = Harness.seed();
    Tally t = ConcurrencyHarness.run(new ConcurrencyHarness.Options(seed, 4, 6, 3, dir, jar, Harness.aot(jar)));
    String report = t.report("concurrency harness, seed " + seed);
    assertThat(t.figure("operations")).as(report).isEqualTo(24);
    assertThat(t.unexpected()).as(report).isEmpty();
    assertThat(t.bytesOutside()).as(report).isZero();
  }
}
