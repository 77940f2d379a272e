package soko.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.verification.Hashing;

/** Strict parsing of an installed manifest (what list, verify and diagnostics do per model). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ManifestBench {
  @Param({"1", "10", "100"})
  public int files;

  private byte[] json;

  @Setup
  public void setUp() {
    List<ModelFile> mf = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      mf.add(Fixtures.file("weights/part-" + i + ".bin", 1L << 30, Hashing.sha256(new byte[] {(byte) i})));
    }
    json = ManifestCodec.write(Fixtures.manifest("bench-model", mf));
  }

  @Benchmark
  public Manifest parse() throws Exception {
    return ManifestCodec.parse(json, "bench");
  }

  @Benchmark
  public byte[] write() throws Exception {
    return ManifestCodec.write(ManifestCodec.parse(json, "bench"));
  }
}
