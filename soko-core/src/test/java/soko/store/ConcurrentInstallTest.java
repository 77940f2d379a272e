package soko.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Settings;
import soko.app.Soko;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;

/** Two JVM processes install the same model into one store at the same moment. */
class ConcurrentInstallTest {
  @TempDir
  Path dir;

  /** The child process: waits for the go file, then installs the manifest it is given. */
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path manifest = Path.of(args[1]);
    Path go = Path.of(args[2]);
    Soko soko = Soko.open(Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), false),
        Clock.systemUTC(), new Properties());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(go) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    Soko.InstallResult r = soko.install(manifest.toString());
    System.out.println("installed " + r.model().manifest().id() + " written=" + r.filesWritten());
  }

  @Test
  void twoProcessesInstallingTheSameModelBothSucceedAndTheStoreIsConsistent() throws Exception {
    Path src = dir.resolve("src");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      files.add(StoreFixtures.randomFile(src, "part-" + i + ".bin", 8 * 1024 * 1024, 100 + i));
    }
    Manifest m = StoreFixtures.manifest("shared-model", files.toArray(Path[]::new));
    Path manifestFile = dir.resolve("shared-model.json");
    Files.write(manifestFile, ManifestCodec.write(m));
    Path home = dir.resolve("home");
    Path go = dir.resolve("go");

    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      procs.add(new ProcessBuilder(java, "-cp", cp, ConcurrentInstallTest.class.getName(), home.toString(),
          manifestFile.toString(), go.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("proc-" + i + ".log").toFile()).start());
    }
    Thread.sleep(1500); // let both JVMs start and open the store
    Files.createFile(go);
    for (int i = 0; i < procs.size(); i++) {
      assertThat(procs.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(procs.get(i).exitValue()).as(Files.readString(dir.resolve("proc-" + i + ".log"))).isZero();
    }

    Soko soko = Soko.open(Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), false),
        Clock.systemUTC(), new Properties());
    assertThat(soko.list()).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(FileState.VERIFIED));
    assertThat(soko.verify(Optional.of("shared-model"), true).get(0).state()).isEqualTo(FileState.VERIFIED);
    StorageUse use = soko.store().usage();
    assertThat(use.modelBlobs()).isEqualTo(4);
    assertThat(use.models()).isEqualTo(4L * 8 * 1024 * 1024);
    assertThat(use.orphanCount()).isZero();
    assertThat(listAll(home.resolve("data/tmp"))).as("no temp files left").isEmpty();
    assertThat(listAll(home.resolve("data/state/pending"))).as("no pins left").isEmpty();
  }

  private static List<Path> listAll(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
