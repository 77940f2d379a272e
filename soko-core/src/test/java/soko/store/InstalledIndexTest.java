package soko.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.ChunkDigests;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.verification.Digest;

/**
 * The installed index ({@link InstalledIndex}): it answers for models whose ref and manifest still
 * have its stamps, is never trusted for a file changed behind Soko's back (even within the same
 * second: the change time, the inode and the racily-clean rule), is ignored when damaged or of
 * another version and rebuilt, vouches only for files old enough, survives a kill -9 during its
 * write and two writers. To show what the index alone answers, some tests write an index whose
 * entry differs from the files on purpose: the listing then shows which one answered.
 */
class InstalledIndexTest {
  @TempDir
  Path dir;

  StoreRoots roots;
  Layout layout;
  List<Manifest> manifests = new ArrayList<>();

  @BeforeEach
  void install() throws Exception {
    roots = StoreChild.roots(dir.resolve("home"));
    layout = new Layout(roots);
    Store store = open();
    for (int i = 0; i < 3; i++) {
      Manifest m = StoreFixtures.manifest("model-" + i,
          StoreFixtures.randomFile(dir.resolve("src"), "f" + i + ".bin", 1000 + i, i));
      try (Store.Install tx = store.beginInstall(m)) {
        for (ModelFile f : tx.missingFiles()) {
          try (var in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
            store.putBlob(f, in, "test");
          }
        }
        tx.commit("test");
      }
      manifests.add(m);
    }
  }

  Store open() throws StoreException {
    return Store.open(roots, Clock.systemUTC());
  }

  Path index() {
    return layout.installedIndex();
  }

  Path manifestFile(int i) throws StoreException {
    return open().require(manifests.get(i).name()).manifestFile();
  }

  /** Sets the refs' and manifests' modification times an hour back: old enough to be indexed. */
  void age() throws IOException {
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path top : List.of(layout.refs(), layout.manifests())) {
      try (Stream<Path> s = Files.walk(top)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          Files.setLastModifiedTime(p, old);
        }
      }
    }
  }

  Map<ModelName, InstalledIndex.Entry> indexed() throws IOException {
    return InstalledIndex.parse(Files.readAllBytes(index()), Long.MAX_VALUE);
  }

  /** An index whose entry for model 0 says another description, with the files' stamps now. */
  void writeDoctoredIndex() throws Exception {
    Store store = open();
    List<InstalledIndex.Entry> entries = new ArrayList<>();
    for (Manifest m : manifests) {
      Refs.Ref ref = new Refs(layout).read(m.name()).orElseThrow();
      Manifest shown = m.name().equals(manifests.getFirst().name())
          ? new Manifest(m.name(), m.version(), "from the index", m.tasks(), m.engine(), m.license(), m.files(),
              m.demo(), m.annotations())
          : m;
      entries.add(new InstalledIndex.Entry(ref, FileStamp.of(layout.ref(m.name())), shown,
          FileStamp.of(store.require(m.name()).manifestFile())));
    }
    Files.write(index(), InstalledIndex.format(entries));
  }

  String description0(List<InstalledModel> installed) {
    return installed.stream().filter(x -> x.manifest().name().equals(manifests.getFirst().name())).findFirst()
        .orElseThrow().manifest().description();
  }

  @Test
  void aListingOfSettledFilesWritesAnIndexWhoseEntriesAreTheStrictReadings() throws Exception {
    age();
    List<InstalledModel> strict = open().installed();
    Map<ModelName, InstalledIndex.Entry> idx = indexed();
    assertThat(idx).hasSize(3);
    for (InstalledModel m : strict) {
      InstalledIndex.Entry e = idx.get(m.manifest().name());
      assertThat(e.manifest()).isEqualTo(m.manifest());
      assertThat(e.ref().installedAt()).isEqualTo(m.installedAt());
      assertThat(e.ref().origin()).isEqualTo(m.origin());
      assertThat(e.manifestStamp().sameAs(FileStamp.of(m.manifestFile()))).isTrue();
    }
    assertThat(open().installed()).as("listed again through the index").isEqualTo(strict);
  }

  @Test
  void aManifestsChunkDigestsComeBackFromTheIndex() throws Exception {
    // A file of two 1 MiB chunks and a tail, its chunk digests computed here over its slices.
    Path big = StoreFixtures.randomFile(dir.resolve("src"), "big.bin", (2 << 20) + 5, 7);
    byte[] bytes = Files.readAllBytes(big);
    List<Digest> digests = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += 1 << 20) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, from, Math.min(1 << 20, bytes.length - from));
      digests.add(Digest.of(md.digest()));
    }
    ModelFile plain = StoreFixtures.manifest("model-chunked", big).files().getFirst();
    Manifest chunked = StoreFixtures.manifest("model-chunked", "1.0.0", List.of(new ModelFile(plain.path(),
        plain.size(), plain.sha256(), plain.sources(), Optional.of(new ChunkDigests(1 << 20, digests)))));
    Store store = open();
    try (Store.Install tx = store.beginInstall(chunked)) {
      try (var in = Files.newInputStream(big)) {
        store.putBlob(tx.missingFiles().getFirst(), in, "test");
      }
      tx.commit("test");
    }
    age();
    open().installed();
    ModelFile indexed = indexed().get(chunked.name()).manifest().files().getFirst();
    assertThat(indexed.chunks()).contains(new ChunkDigests(1 << 20, digests));
    assertThat(open().installed().stream().filter(m -> m.manifest().name().equals(chunked.name())).findFirst()
        .orElseThrow().manifest()).as("listed through the index").isEqualTo(chunked);
  }

  @Test
  void anEntryWhoseFilesStillHaveItsStampsAnswersWithoutTheFiles() throws Exception {
    age();
    writeDoctoredIndex();
    assertThat(description0(open().installed())).isEqualTo("from the index");
  }

  @Test
  void filesTooNewToVouchForAreNotIndexedAndNothingIsWritten() throws Exception {
    open().installed(); // just installed: every file is younger than SETTLE
    assertThat(index()).doesNotExist();
    age();
    open().installed();
    assertThat(indexed()).hasSize(3);
  }

  @Test
  void aManifestEditedBehindSokosBackWithinTheSameSecondIsSeen() throws Exception {
    age();
    open().installed();
    Path mf = manifestFile(0);
    FileTime mtime = Files.getLastModifiedTime(mf);
    // Same length, same modification time, same inode: only the change time tells.
    String text = Files.readString(mf);
    Files.writeString(mf, text.replace("test model", "TEST MODEL"), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(mf, mtime);
    assertThat(Files.size(mf)).isEqualTo(text.length());
    assertThatThrownBy(() -> open().installed()).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("was changed after install");
  }

  @Test
  void anEntryAsNewAsTheIndexItselfIsRacilyCleanAndTheFilesAreReadAgain() throws Exception {
    age();
    writeDoctoredIndex();
    // On a file system with one-second times, the manifest written in the index's own second:
    // the stamps match, yet the entry cannot vouch for it.
    Files.setLastModifiedTime(index(), Files.getLastModifiedTime(manifestFile(0)));
    Store store = open();
    assertThat(description0(store.installed())).isEqualTo("test model");
  }

  @Test
  void anEntryOneNanosecondOlderThanTheIndexIsTrusted() throws Exception {
    age();
    writeDoctoredIndex();
    long ns = Math.max(FileStamp.of(manifestFile(0)).mtimeNanos(), FileStamp.of(layout.ref(manifests.getFirst().name()))
        .mtimeNanos());
    Files.setLastModifiedTime(index(), FileTime.from(ns + 1, TimeUnit.NANOSECONDS));
    assertThat(description0(open().installed())).isEqualTo("from the index");
  }

  @Test
  void aReplacedRefIsReadAgain() throws Exception {
    age();
    writeDoctoredIndex();
    Path ref = layout.ref(manifests.getFirst().name());
    Path copy = dir.resolve("ref-copy");
    Files.copy(ref, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    Files.move(copy, ref, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // same bytes and times, new inode
    assertThat(description0(open().installed())).isEqualTo("test model");
  }

  @Test
  void aRemovedModelIsNotListedAndItsEntryIsDropped() throws Exception {
    age();
    open().installed();
    open().remove(manifests.get(1).name());
    List<InstalledModel> now = open().installed();
    assertThat(now).extracting(m -> m.manifest().name()).containsExactly(manifests.get(0).name(),
        manifests.get(2).name());
    assertThat(indexed()).doesNotContainKey(manifests.get(1).name()).hasSize(2);
  }

  @Test
  void aDamagedIndexIsIgnoredAndRebuilt() throws Exception {
    age();
    writeDoctoredIndex();
    byte[] b = Files.readAllBytes(index());
    b[b.length / 2] ^= 1;
    Files.write(index(), b);
    assertThat(description0(open().installed())).isEqualTo("test model");
    assertThat(indexed()).hasSize(3);
    assertThat(description0(open().installed())).isEqualTo("test model");
  }

  @Test
  void aTruncatedIndexIsIgnoredAndRebuilt() throws Exception {
    age();
    writeDoctoredIndex();
    byte[] b = Files.readAllBytes(index());
    Files.write(index(), java.util.Arrays.copyOf(b, b.length - 100));
    assertThat(description0(open().installed())).isEqualTo("test model");
    assertThat(indexed()).hasSize(3);
  }

  @Test
  void anIndexOfAnotherVersionIsIgnored() throws Exception {
    age();
    writeDoctoredIndex();
    byte[] b = Files.readAllBytes(index());
    b[7] = '1'; // SOKOIIX1, the version without chunk digests; the checksum fixed, so only the version is foreign
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b, 0, b.length - 4);
    java.nio.ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    Files.write(index(), b);
    assertThat(description0(open().installed())).isEqualTo("test model");
  }

  @Test
  void aKillDuringAnIndexWriteLeavesAWholeIndexOrNoneAndTheListingIsTrue() throws Exception {
    age();
    List<InstalledModel> strict = open().installed();
    for (int round = 0; round < 3; round++) {
      Path ready = dir.resolve("ready-" + round);
      StoreChild.startAndKill(dir.resolve("child-" + round + ".log"), ready, "list-loop",
          dir.resolve("home").toString(), ready.toString());
      if (Files.exists(index())) {
        assertThat(indexed()).as("a whole index after the kill").hasSize(3);
      }
      assertThat(open().installed()).isEqualTo(strict);
      assertThat(indexed()).hasSize(3);
    }
  }

  @Test
  void twoWritersLeaveAWholeIndexWhoseEveryEntryIsTrue() throws Exception {
    age();
    List<InstalledModel> strict = open().installed();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StoreChild.class.getName(),
        "list-n", dir.resolve("home").toString(), "40", "3").redirectErrorStream(true)
        .redirectOutput(dir.resolve("other.log").toFile()).start();
    try {
      for (int i = 0; i < 40; i++) {
        Files.deleteIfExists(index());
        assertThat(open().installed()).isEqualTo(strict);
      }
      assertThat(other.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(other.exitValue()).as(Files.readString(dir.resolve("other.log"))).isZero();
    } finally {
      other.destroyForcibly();
    }
    open().installed();
    Map<ModelName, InstalledIndex.Entry> idx = indexed();
    assertThat(idx).hasSize(3);
    for (InstalledModel m : strict) {
      InstalledIndex.Entry e = idx.get(m.manifest().name());
      assertThat(e.manifest()).isEqualTo(m.manifest());
      assertThat(e.refStamp().sameAs(FileStamp.of(layout.ref(m.manifest().name())))).isTrue();
      assertThat(e.manifestStamp().sameAs(FileStamp.of(m.manifestFile()))).isTrue();
    }
  }
}
