package soko.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import soko.verification.Hashing;

/** SHA-256 of a file from the page cache: {@code Hashing.sha256(Path)}; MiB/s = mib / (ms / 1000). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HashingBench {
  @Param("256")
  public int mib;

  private Path dir;
  private Path file;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Fixtures.scratch("soko-hash-bench");
    file = Fixtures.randomFile(dir.resolve("data.bin"), mib);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    Fixtures.deleteTree(dir);
  }

  @Benchmark
  public Hashing.Measured sha256File() throws Exception {
    return Hashing.sha256(file);
  }
}
