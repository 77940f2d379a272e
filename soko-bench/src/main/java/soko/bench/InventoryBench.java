package soko.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import soko.store.InstalledModel;
import soko.store.ModelCheck;
import soko.store.StorageUse;
import soko.store.Store;

/**
 * The store side of {@code soko list} and {@code soko diagnostics}: installed models with their
 * cached verification state, and storage use. {@code -Dsoko.bench.store=HOME} measures an existing
 * store (such as bench/out/perf/inventory-home) instead of making one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InventoryBench {
  @Param("100")
  public int models;

  @Param("10")
  public int files;

  private Path dir;
  private Store store;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String existing = System.getProperty("soko.bench.store", "");
    if (!existing.isEmpty()) {
      store = Fixtures.store(Path.of(existing));
      return;
    }
    dir = Fixtures.scratch("soko-inventory-bench");
    store = Fixtures.store(dir.resolve("home"));
    Fixtures.installMany(store, models, files);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (dir != null) {
      Fixtures.deleteTree(dir);
    }
  }

  /** {@code soko list}: every installed model and a stat of each file, no hashing. */
  @Benchmark
  public List<ModelCheck> list() throws Exception {
    List<ModelCheck> out = new ArrayList<>();
    for (InstalledModel m : store.installed()) {
      out.add(store.checkWithoutHashing(m));
    }
    return out;
  }

  /** The storage part of diagnostics. */
  @Benchmark
  public StorageUse usage() throws Exception {
    return store.usage();
  }
}
