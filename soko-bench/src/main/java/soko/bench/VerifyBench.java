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
import soko.manifest.ModelName;
import soko.model.VerifiedModel;
import soko.store.ModelCheck;
import soko.store.Store;
import soko.store.VerifyMode;

/**
 * Verify-before-use of an unchanged model (a {@code stat} and the verification record per file)
 * against a full re-hash of the same model, in one JVM. Target: cached ≤ 1 ms and ≥ 500× cheaper.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyBench {
  @Param("1024")
  public int mib;

  private Path dir;
  private Store store;
  private final ModelName name = ModelName.parse("big-model");

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Fixtures.scratch("soko-verify-bench");
    store = Fixtures.store(dir.resolve("home"));
    Path file = Fixtures.randomFile(dir.resolve("big.bin"), mib);
    Fixtures.installFile(store, name.value(), file);
    java.nio.file.Files.delete(file);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    Fixtures.deleteTree(dir);
  }

  /** What an engine load pays: {@code Store.verified(name, CACHED)} of the unchanged model. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  public VerifiedModel cachedVerify() throws Exception {
    return store.verified(name, VerifyMode.CACHED);
  }

  /** {@code soko verify --full}: re-hashes every byte. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public ModelCheck fullVerify() throws Exception {
    return store.check(store.require(name), VerifyMode.FULL);
  }
}
