package soko.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Settings;
import soko.app.Soko;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.model.VerifiedModel;
import soko.verification.Hashing;

class StoreTest {
  @TempDir
  Path home;

  Soko soko;
  Store store;

  @BeforeEach
  void open() throws Exception {
    soko = Soko.open(Settings.resolve(java.util.Map.of(), new Properties(), Optional.of(home), Optional.empty(), false),
        Clock.systemUTC(), new Properties());
    store = soko.store();
  }

  Path sileroBlob() throws Exception {
    return soko.verified("silero-vad").file("silero_vad_v6.onnx");
  }

  static void flipByte(Path file, long at) throws IOException {
    file.toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x01);
    }
  }

  @Test
  void installingABundledModelMakesItListedAndVerified() throws Exception {
    soko.install("silero-vad");
    List<ModelCheck> list = soko.list();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).model().manifest().name().value()).isEqualTo("silero-vad");
    assertThat(list.get(0).state()).isEqualTo(FileState.VERIFIED);
    assertThat(list.get(0).model().origin()).isEqualTo("bundled");
    Path blob = sileroBlob();
    assertThat(blob).startsWith(home.resolve("data/blobs/sha256/1a"));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)))
        .as("published blobs are read-only").isEqualTo("r--r--r--");
  }

  @Test
  void installIsIdempotent() throws Exception {
    assertThat(soko.install("silero-vad").alreadyInstalled()).isFalse();
    assertThat(soko.install("silero-vad").alreadyInstalled()).isTrue();
  }

  @Test
  void anUnchangedFileIsTrustedByItsStatAndAFullVerifyRehashes() throws Exception {
    soko.install("silero-vad");
    assertThat(soko.verify(Optional.of("silero-vad"), false).get(0).files())
        .allSatisfy(f -> assertThat(f.rehashed()).isFalse());
    assertThat(soko.verify(Optional.of("silero-vad"), true).get(0).files())
        .allSatisfy(f -> assertThat(f.rehashed()).isTrue());
  }

  @Test
  void aFlippedByteIsCaughtAndTheModelRefused() throws Exception {
    soko.install("silero-vad");
    flipByte(sileroBlob(), 1000);
    ModelCheck c = soko.verify(Optional.of("silero-vad"), false).get(0);
    assertThat(c.state()).isEqualTo(FileState.CORRUPT);
    assertThat(c.problems()).singleElement().asString()
        .startsWith("silero_vad_v6.onnx: sha256 ").endsWith(", expected 1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3");
    assertThatThrownBy(() -> soko.verified("silero-vad"))
        .isInstanceOf(ModelIntegrityException.class)
        .hasMessageStartingWith("silero-vad@6.0.0 is corrupt and will not be used (silero_vad_v6.onnx: sha256 ")
        .hasMessageEndingWith("): run `soko install silero-vad` to repair it");
    assertThat(soko.list().get(0).state()).as("marked corrupt without re-hashing").isEqualTo(FileState.CORRUPT);
  }

  @Test
  void aTruncatedFileIsCaught() throws Exception {
    soko.install("silero-vad");
    Path blob = sileroBlob();
    blob.toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(blob.toFile(), "rw")) {
      raf.setLength(1000);
    }
    assertThatThrownBy(() -> soko.verified("silero-vad"))
        .isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("silero_vad_v6.onnx: size 1000 bytes, expected 2327524");
  }

  @Test
  void aFileSwappedForAnotherModelsFileIsCaught() throws Exception {
    soko.install("silero-vad");
    soko.install("demo-phrasebook");
    Path blob = sileroBlob();
    Path other = soko.verified("demo-phrasebook").file("phrasebook-ja-en.tsv");
    blob.toFile().setWritable(true);
    Files.copy(other, blob, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> soko.verified("silero-vad")).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("expected 2327524");
    assertThat(soko.verified("demo-phrasebook")).isNotNull();
  }

  @Test
  void aChangedFileWithItsModificationTimeRestoredIsCaught() throws Exception {
    soko.install("silero-vad");
    Path blob = sileroBlob();
    FileTime before = Files.getLastModifiedTime(blob);
    flipByte(blob, 5000);
    Files.setLastModifiedTime(blob, before);
    assertThat(Files.getLastModifiedTime(blob)).isEqualTo(before);
    assertThatThrownBy(() -> soko.verified("silero-vad")).isInstanceOf(ModelIntegrityException.class);
  }

  @Test
  void aVerifiedHandleTellsWhichFilesChangedAfterwardsEvenWithTheModificationTimeRestored() throws Exception {
    soko.install("silero-vad");
    VerifiedModel vm = soko.verified("silero-vad");
    assertThat(vm.changedSinceVerified()).isEmpty();
    Path blob = vm.file("silero_vad_v6.onnx");
    FileTime before = Files.getLastModifiedTime(blob);
    flipByte(blob, 5000);
    Files.setLastModifiedTime(blob, before);

    assertThat(vm.changedSinceVerified()).containsExactly("silero_vad_v6.onnx");
    Files.delete(blob);
    assertThat(vm.changedSinceVerified()).containsExactly("silero_vad_v6.onnx");
  }

  @Test
  void installingAgainRepairsACorruptModelAndDeletesNothingElse() throws Exception {
    soko.install("silero-vad");
    flipByte(sileroBlob(), 10);
    assertThatThrownBy(() -> soko.verified("silero-vad")).isInstanceOf(ModelIntegrityException.class);
    assertThat(soko.install("silero-vad").filesWritten()).isEqualTo(1);
    VerifiedModel vm = soko.verified("silero-vad");
    assertThat(soko.verify(Optional.of("silero-vad"), true).get(0).state()).isEqualTo(FileState.VERIFIED);
    assertThat(vm.file("LICENSE")).exists();
    assertThat(store.usage().orphanCount()).as("the bad copy was quarantined, not deleted").isEqualTo(1);
  }

  @Test
  void aMissingBlobMakesTheModelMissing() throws Exception {
    soko.install("silero-vad");
    Path blob = sileroBlob();
    Files.delete(blob);
    assertThat(soko.list().get(0).state()).isEqualTo(FileState.MISSING);
    assertThatThrownBy(() -> soko.verified("silero-vad")).hasMessageContaining("is missing from the store");
  }

  @Test
  void aTamperedInstalledManifestIsRefusedAndInstallingAgainRepairsIt() throws Exception {
    soko.install("silero-vad");
    Path mf = soko.list().get(0).model().manifestFile();
    assertThat(mf.getFileName().toString()).matches("6\\.0\\.0-[0-9a-f]{12}\\.json");
    String text = Files.readString(mf).replace("Silero VAD v6", "Silero VAD v7");
    Files.writeString(mf, text);
    assertThatThrownBy(() -> soko.verified("silero-vad")).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("was changed after install");
    assertThat(soko.install("silero-vad").alreadyInstalled()).isFalse();
    assertThat(soko.verified("silero-vad").manifest().description()).contains("Silero VAD v6");
  }

  @Test
  void aModelWithADamagedManifestCanBeRemoved() throws Exception {
    soko.install("silero-vad");
    soko.install("demo-phrasebook");
    Files.writeString(soko.list().get(1).model().manifestFile(), "{}");
    assertThat(soko.remove("silero-vad").bytesFreed()).isEqualTo(2327524L + 1075L);
    assertThat(soko.list()).extracting(c -> c.model().manifest().name().value()).containsExactly("demo-phrasebook");
  }

  @Test
  void reinstallingWithChangedSourcesSwitchesToTheNewManifestAtomically(@TempDir Path src) throws Exception {
    Path f = StoreFixtures.randomFile(src, "x.bin", 10_000, 31);
    Manifest first = StoreFixtures.manifest("mirrored", f);
    soko.install(first, "test");
    Path copy = Files.copy(f, src.resolve("copy.bin"));
    soko.manifest.ModelFile mf = first.files().get(0);
    Manifest second = StoreFixtures.manifest("mirrored", "1.0.0", java.util.List.of(new soko.manifest.ModelFile(mf.path(),
        mf.size(), mf.sha256(), java.util.List.of(mf.sources().get(0), new soko.manifest.SourceUri(copy.toUri())))));
    Path before = soko.list().get(0).model().manifestFile();
    soko.install(second, "test");
    Path after = soko.list().get(0).model().manifestFile();
    assertThat(after).isNotEqualTo(before);
    assertThat(before).doesNotExist();
    assertThat(soko.verified("mirrored").manifest()).isEqualTo(second);
  }

  @Test
  void theInventoryFollowsInstallAndRemoveAndCountsSharedBlobsOnce(@TempDir Path src) throws Exception {
    Path shared = StoreFixtures.randomFile(src, "shared.bin", 300_000, 1);
    Path onlyA = StoreFixtures.randomFile(src, "a.bin", 100_000, 2);
    Manifest a = StoreFixtures.manifest("model-a", shared, onlyA);
    Manifest b = StoreFixtures.manifest("model-b", shared);
    soko.install(a, "test");
    soko.install(b, "test");
    StorageUse use = store.usage();
    assertThat(use.models()).isEqualTo(400_000);
    assertThat(use.modelBlobs()).isEqualTo(2);
    GcReport removed = soko.remove("model-a");
    assertThat(removed.bytesFreed()).as("only the blob no other model uses").isEqualTo(100_000);
    assertThat(soko.list()).extracting(c -> c.model().manifest().name().value()).containsExactly("model-b");
    assertThat(store.usage().models()).isEqualTo(300_000);
    assertThat(store.usage().orphanCount()).isZero();
  }

  @Test
  void gcRemovesOrphansAndKeepsBlobsOfInstallsInProgress(@TempDir Path src) throws Exception {
    Path f1 = StoreFixtures.randomFile(src, "one.bin", 50_000, 3);
    Path f2 = StoreFixtures.randomFile(src, "two.bin", 60_000, 4);
    Manifest m1 = StoreFixtures.manifest("one", f1);
    Manifest m2 = StoreFixtures.manifest("two", f2);
    // a blob left behind by a crash: published but never committed
    try (InputStream in = Files.newInputStream(f1)) {
      store.putBlob(m1.files().get(0), in, "test");
    }
    // an install in progress in another process: pinned, not yet committed
    try (Store.Install pending = store.beginInstall(m2)) {
      try (InputStream in = Files.newInputStream(f2)) {
        store.putBlob(m2.files().get(0), in, "test");
      }
      GcReport dry = store.gc(true);
      assertThat(dry.bytesFreed()).isEqualTo(50_000);
      assertThat(store.hasBlob(m1.files().get(0).sha256())).as("dry run removes nothing").isTrue();
      GcReport real = store.gc(false);
      assertThat(real.removed()).singleElement().asString().endsWith(m1.files().get(0).sha256().hex());
      assertThat(store.hasBlob(m2.files().get(0).sha256())).isTrue();
      pending.commit("test");
    }
    assertThat(soko.list()).hasSize(1);
  }

  @Test
  void aManifestThatIsALinkIsNeverFollowedAndGcMovesTheLinkAsideLeavingItsTargetAlone(@TempDir Path src)
      throws Exception {
    Path f = StoreFixtures.randomFile(src, "w.bin", 70_000, 9);
    Manifest m = StoreFixtures.manifest("linked", f);
    soko.install(m, "test");
    InstalledModel installed = store.require(ModelName.parse("linked"));
    // The manifest replaced by a link to a copy of itself outside the store: never read through.
    Path copy = src.resolve("manifest-copy.json");
    Files.copy(installed.manifestFile(), copy);
    byte[] copyBytes = Files.readAllBytes(copy);
    Files.delete(installed.manifestFile());
    Files.createSymbolicLink(installed.manifestFile(), copy);

    assertThatThrownBy(() -> store.require(ModelName.parse("linked"))).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("its manifest " + installed.manifestFile()
            + " is a symbolic link; Soko never follows links inside its store");
    StorageUse before = store.usage();
    GcReport dry = store.gc(true);
    assertThat(before.orphanCount()).as("its blob is named by no manifest Soko reads").isEqualTo(1);
    assertThat(dry.removed()).as("gc and diagnostics agree").hasSize(before.orphanCount());
    assertThat(dry.bytesFreed()).isEqualTo(before.orphans());

    GcReport real = store.gc(false);
    assertThat(real.notices()).singleElement().asString().startsWith("moved aside " + installed.manifestFile());
    assertThat(installed.manifestFile()).doesNotExist();
    assertThat(copy).as("the link's target is untouched").hasBinaryContent(copyBytes);
    assertThat(store.notices()).singleElement().asString().contains("a symbolic link to " + copy)
        .contains("found where the store keeps a manifest");
    soko.install(m, "test");
    assertThat(soko.verified("linked").manifest()).isEqualTo(m);
  }

  @Test
  void aCrashBeforeCommitLeavesNothingInstalled(@TempDir Path src) throws Exception {
    Path f = StoreFixtures.randomFile(src, "x.bin", 10_000, 5);
    Manifest m = StoreFixtures.manifest("crashy", f);
    Store.Install tx = store.beginInstall(m);
    try (InputStream in = Files.newInputStream(f)) {
      store.putBlob(m.files().get(0), in, "test");
    }
    // no commit: as if the process died here
    assertThat(store.installed(ModelName.parse("crashy"))).isEmpty();
    assertThat(soko.list()).isEmpty();
    tx.close();
  }

  @Test
  void aStoreWithANewerLayoutIsRefused() throws Exception {
    Files.writeString(home.resolve("data/soko-store.json"), "{\"layout\": 2, \"storeId\": \"x\"}");
    assertThatThrownBy(() -> Store.open(store.roots(), Clock.systemUTC()))
        .isInstanceOf(StoreConfigException.class)
        .hasMessage("the store in " + home.resolve("data") + " has layout 2, newer than this Soko understands (1): "
            + "upgrade Soko, or use another --home");
  }

  @Test
  void aDataRootFullOfOtherFilesIsNotTakenOver(@TempDir Path other) throws Exception {
    Files.writeString(other.resolve("thesis.docx"), "precious");
    StoreRoots roots = new StoreRoots(other, home.resolve("c2"), home.resolve("l2"));
    assertThatThrownBy(() -> Store.open(roots, Clock.systemUTC()))
        .isInstanceOf(StoreConfigException.class)
        .hasMessageContaining("already holds other files (such as thesis.docx)");
  }

  @Test
  void aBlobWhoseBytesDoNotMatchIsNeverPublished(@TempDir Path src) throws Exception {
    Path f = StoreFixtures.randomFile(src, "x.bin", 10_000, 6);
    Manifest m = StoreFixtures.manifest("liar", f);
    StoreFixtures.randomFile(src, "x.bin", 10_000, 7); // same size, other content
    assertThatThrownBy(() -> soko.install(m, "test"))
        .hasMessageContaining("no source could provide x.bin");
    assertThat(store.hasBlob(m.files().get(0).sha256())).isFalse();
    assertThat(soko.list()).isEmpty();
    try (var files = Files.list(home.resolve("data/tmp"))) {
      assertThat(files).as("no temp file left behind").isEmpty();
    }
  }

  @Test
  void gcRefusesAStoreFolderThatIsALinkAndDeletesNothingOutside(@TempDir Path outside) throws Exception {
    soko.install("silero-vad");
    Path victim = Files.writeString(outside.resolve("photo.jpg"), "precious");
    Path quarantine = home.resolve("data/quarantine");
    Files.deleteIfExists(quarantine);
    Files.createSymbolicLink(quarantine, outside);
    assertThatThrownBy(() -> soko.gc(false)).isInstanceOf(StoreIOException.class)
        .hasMessageContaining(quarantine + " is a symbolic link; Soko never follows links inside its store");
    assertThat(victim).hasContent("precious");
  }

  @Test
  void aFileChangedWhileItIsBeingHashedIsNeverTrustedAfterwards(@TempDir Path src) throws Exception {
    Path f = StoreFixtures.randomFile(src, "big.bin", 1024 * 1024, 21);
    Manifest m = StoreFixtures.manifest("big", f);
    soko.install(m, "test");
    Path blob = soko.verified("big").file("big.bin");
    blob.toFile().setWritable(true);
    // A second handle on the same store whose hashing changes the file right after reading it all:
    // the digest matches the manifest, but describes bytes that are no longer there.
    AtomicBoolean changed = new AtomicBoolean();
    Store racy = Store.open(store.roots(), Clock.systemUTC(), Steps.NONE, file -> {
      Hashing.Measured read = Hashing.sha256(file);
      if (changed.compareAndSet(false, true)) {
        flipByte(file, 0);
      }
      return read;
    });

    ModelCheck check = racy.check(racy.require(ModelName.parse("big")), VerifyMode.FULL);

    assertThat(changed).isTrue();
    assertThat(check.state()).isEqualTo(FileState.CORRUPT);
    assertThat(check.problems()).containsExactly("big.bin changed while it was being verified; run `soko verify` again");
    assertThat(store.checkWithoutHashing(store.require(ModelName.parse("big"))).state())
        .as("the good digest was never recorded for the changed file").isNotEqualTo(FileState.VERIFIED);
    assertThatThrownBy(() -> soko.verified("big")).isInstanceOf(ModelIntegrityException.class);
  }

  @Test
  void aBlobRemovedBetweenItsStatAndItsHashIsMissingNotAnError(@TempDir Path src) throws Exception {
    Path f = StoreFixtures.randomFile(src, "gone.bin", 256 * 1024, 22);
    Manifest m = StoreFixtures.manifest("gone", f);
    soko.install(m, "test");
    // Another process's `soko rm` and gc take the blob away after this check's stat, before it is read.
    Store racy = Store.open(store.roots(), Clock.systemUTC(), Steps.NONE, file -> {
      Files.delete(file);
      return Hashing.sha256(file);
    });

    ModelCheck check = racy.check(racy.require(ModelName.parse("gone")), VerifyMode.FULL);

    assertThat(check.state()).isEqualTo(FileState.MISSING);
    assertThat(check.problems()).singleElement().asString().startsWith("gone.bin is missing from the store (");
  }

  @Test
  void aPinOlderThanADayIsKeptWhileItsProcessRunsAndDroppedOnceItIsGone(@TempDir Path src) throws Exception {
    Path f = StoreFixtures.randomFile(src, "slow.bin", 20_000, 41);
    Manifest m = StoreFixtures.manifest("slow", f);
    Store.Install tx = store.beginInstall(m); // this process: alive
    try (InputStream in = Files.newInputStream(f)) {
      store.putBlob(m.files().get(0), in, "test");
    }
    Path pins = home.resolve("data/state/pending");
    try (var list = Files.list(pins)) {
      for (Path pin : list.toList()) {
        Files.setLastModifiedTime(pin, FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(2))));
      }
    }
    assertThat(store.gc(false).removed()).as("a two-day download still running keeps its blobs").isEmpty();

    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    try (var list = Files.list(pins)) {
      for (Path pin : list.toList()) {
        Files.writeString(pin, Files.readString(pin).replaceFirst("\"pid\": \\d+", "\"pid\": " + gone.pid()));
        Files.setLastModifiedTime(pin, FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(2))));
      }
    }
    assertThat(store.gc(false).removed()).as("the pin of a finished process is stale").hasSize(1);
    tx.close();
  }
}
