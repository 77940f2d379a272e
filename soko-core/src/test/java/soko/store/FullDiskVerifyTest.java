package soko.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.model.VerifiedModel;

/**
 * Verification does not depend on free space: on a full file system every intact model verifies,
 * and the records that could not be written are warnings. The data root is a small tmpfs mounted
 * for the test (root can mount; so can CI); without the right to mount, the records folder is made
 * read-only instead, which stops any user but root.
 */
class FullDiskVerifyTest {
  @TempDir
  Path dir;

  private Path mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      run("umount", mounted.toString());
    }
  }

  @Test
  void verifyFullOnAFullDiskFindsEveryIntactModelVerifiedAndWarnsThatItCouldNotRecordIt() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    boolean tmpfs = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", data.toString()) == 0;
    if (tmpfs) {
      mounted = data;
    }
    Store store = Store.open(new StoreRoots(data, dir.resolve("cache"), dir.resolve("library")), Clock.systemUTC());
    Manifest m = StoreFixtures.manifest("full", StoreFixtures.randomFile(dir.resolve("src"), "a.bin", 1_000_000, 1),
        StoreFixtures.randomFile(dir.resolve("src"), "b.bin", 500_000, 2));
    try (Store.Install tx = store.beginInstall(m)) {
      for (var f : m.files()) {
        try (var in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
          store.putBlob(f, in, "test");
        }
      }
      tx.commit("test");
    }
    if (tmpfs) {
      fill(data);
    } else {
      Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
          "cannot mount a tmpfs here, and a read-only folder does not stop root: no way to make recording fail");
      readOnly(data.resolve("state/verified"));
    }

    ModelCheck check = store.check(store.require(ModelName.parse("full")), VerifyMode.FULL);

    assertThat(check.state()).isEqualTo(FileState.VERIFIED);
    assertThat(check.files()).allSatisfy(f -> assertThat(f.rehashed()).isTrue());
    assertThat(check.problems()).isEmpty();
    assertThat(check.warnings()).hasSize(2).allSatisfy(w -> assertThat(w)
        .matches("cannot record the verification of [ab]\\.bin \\(.+\\); the result stands, and the next check hashes"
            + " the file again"));
    if (tmpfs) {
      assertThat(check.warnings().getFirst()).contains("No space left on device");
    }
    VerifiedModel handle = store.verified(ModelName.parse("full"), VerifyMode.FULL);
    assertThat(handle.files()).hasSize(2);
  }

  /** Writes a file until the file system refuses another 4 KiB page. */
  private static void fill(Path data) throws IOException {
    byte[] page = new byte[4096];
    try (OutputStream out = Files.newOutputStream(data.resolve("filler"))) {
      while (true) {
        out.write(page);
        out.flush();
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
  }

  private static void readOnly(Path root) throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.walk(root)) {
      dirs = s.filter(Files::isDirectory).toList();
    }
    for (Path d : dirs) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    if (p.exitValue() != 0) {
      System.out.println("FullDiskVerifyTest: `" + String.join(" ", cmd) + "` failed: " + out.strip());
    }
    return p.exitValue();
  }
}
