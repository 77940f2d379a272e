package soko.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;

/** A pin holds while its process runs, and is released as soon as that process is gone. */
class PinReleaseTest {
  @TempDir
  Path dir;

  Path home;
  Store store;
  Manifest manifest;
  long size = 300_000;

  @BeforeEach
  void open() throws Exception {
    home = dir.resolve("home");
    store = Store.open(StoreChild.roots(home), Clock.systemUTC());
    manifest = StoreFixtures.manifest("downloading", StoreFixtures.randomFile(dir.resolve("src"), "big.bin",
        (int) size, 77));
  }

  @Test
  void theOrphansOfAnInstallKilledWithSigkillAreFreedByTheVeryNextGc() throws Exception {
    Path mf = Files.write(dir.resolve("m.json"), ManifestCodec.write(manifest));
    StoreChild.startAndKill(dir.resolve("child.log"), dir.resolve("ready"), "pin", home.toString(), mf.toString(),
        dir.resolve("ready").toString());
    assertThat(pins()).as("the killed process left its pin").hasSize(1);

    StorageUse use = store.usage();
    GcReport dry = store.gc(true);
    assertThat(use.orphanCount()).as("diagnostics counts the blob as an orphan").isEqualTo(1);
    assertThat(use.pinnedCount()).isZero();
    assertThat(dry.bytesFreed()).as("gc and diagnostics agree").isEqualTo(use.orphans()).isEqualTo(size);

    GcReport gc = store.gc(false);
    assertThat(gc.bytesFreed()).isEqualTo(size);
    assertThat(gc.notices()).singleElement().asString()
        .matches("released the pin of the install of downloading@1\\.0\\.0: process \\d+ is gone");
    assertThat(store.hasBlob(manifest.files().getFirst().sha256())).isFalse();
    assertThat(pins()).isEmpty();
  }

  @Test
  void aPinHoldsWhileItsProcessRunsAndDiagnosticsCountsItsBlobsAsPinnedNotOrphans() throws Exception {
    try (Store.Install _ = store.beginInstall(manifest)) {
      put(manifest);
      StorageUse use = store.usage();
      assertThat(use.pinnedCount()).isEqualTo(1);
      assertThat(use.pinned()).isEqualTo(size);
      assertThat(use.orphanCount()).isZero();
      assertThat(store.gc(false).removed()).isEmpty();
      assertThat(store.hasBlob(manifest.files().getFirst().sha256())).isTrue();
    }
  }

  @Test
  void aPinWhoseLivePidBelongsToAProcessWithAnotherStartTimeIsReleased() throws Exception {
    try (Store.Install _ = store.beginInstall(manifest)) {
      put(manifest);
      Path pin = pins().getFirst();
      String text = Files.readString(pin);
      assertThat(text).as("the pin names this running process").contains("\"pid\": " + ProcessHandle.current().pid())
          .contains("\"started\"");
      // The same PID, alive, but started at another time: the process that wrote the pin is gone.
      Files.writeString(pin, text.replaceFirst("\"started\": \"[^\"]+\"", "\"started\": \"2001-01-01T00:00:00Z\""));

      assertThat(store.usage().orphanCount()).isEqualTo(1);
      GcReport gc = store.gc(false);
      assertThat(gc.bytesFreed()).isEqualTo(size);
      assertThat(gc.notices()).singleElement().asString().contains("the PID now belongs to a process started at");
    }
  }

  @Test
  void aPinWrittenOnAnotherHostIsKeptForADayAndThenReleased() throws Exception {
    try (Store.Install _ = store.beginInstall(manifest)) {
      put(manifest);
      Path pin = pins().getFirst();
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      // Another machine sharing the store: its PIDs mean nothing here, so a dead PID proves nothing.
      Files.writeString(pin, Files.readString(pin)
          .replaceFirst("\"pid\": \\d+", "\"pid\": " + gone.pid())
          .replaceFirst("\"host\": \"[^\"]*\"", "\"host\": \"another-machine.example\""));
      assertThat(store.gc(false).removed()).as("kept while it may still run elsewhere").isEmpty();

      Files.setLastModifiedTime(pin, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
      GcReport gc = store.gc(false);
      assertThat(gc.bytesFreed()).isEqualTo(size);
      assertThat(gc.notices()).singleElement().asString().contains("a day old and was written on another-machine.example");
    }
  }

  @Test
  void aPinThatIsALinkPinsNothingAndIsMovedAside() throws Exception {
    Path fake;
    Path pin;
    try (Store.Install _ = store.beginInstall(manifest)) {
      put(manifest);
      pin = pins().getFirst();
      fake = Files.copy(pin, dir.resolve("pin-outside.json"));
    }
    // The install is over (its pin gone); a link now stands where a pin would be.
    Files.createSymbolicLink(pin, fake);
    byte[] before = Files.readAllBytes(fake);

    GcReport gc = store.gc(false);
    assertThat(gc.bytesFreed()).as("a link is never read as a pin").isEqualTo(size);
    assertThat(gc.notices()).anySatisfy(n -> assertThat(n).startsWith("moved aside " + pin));
    assertThat(pin).doesNotExist();
    assertThat(fake).hasBinaryContent(before);
  }

  private void put(Manifest m) throws Exception {
    try (InputStream in = Files.newInputStream(Path.of(m.files().getFirst().sources().getFirst().uri()))) {
      store.putBlob(m.files().getFirst(), in, "test");
    }
  }

  private List<Path> pins() throws Exception {
    try (Stream<Path> s = Files.list(home.resolve("data/state/pending"))) {
      return s.toList();
    }
  }
}
