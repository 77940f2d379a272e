package soko.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * The store index ({@link VerifiedIndex}): it answers for unchanged blobs without their records,
 * drops an entry when the blob's size, modification time or inode changes, never trusts a racily
 * clean entry, is ignored when damaged and rebuilt, loses its entry when a record turns bad, and
 * stays whole under two writers. To show what the index alone answers, most tests delete the
 * per-blob records after the index is written: the blob is then trusted only through the index.
 */
class VerifiedIndexTest {
  @TempDir
  Path dir;

  StoreRoots roots;
  Manifest manifest;
  ModelName name = ModelName.parse("indexed");

  @BeforeEach
  void install() throws Exception {
    roots = new StoreRoots(dir.resolve("data"), dir.resolve("cache"), dir.resolve("library"));
    manifest = StoreFixtures.manifest("indexed", StoreFixtures.randomFile(dir.resolve("src"), "a.bin", 300_000, 1),
        StoreFixtures.randomFile(dir.resolve("src"), "b.bin", 200_000, 2));
    Store store = open();
    try (Store.Install tx = store.beginInstall(manifest)) {
      for (ModelFile f : manifest.files()) {
        try (var in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
          store.putBlob(f, in, "test");
        }
      }
      tx.commit("test");
    }
    // The first check reads the records and writes the index.
    assertThat(open().check(store.require(name), VerifyMode.CACHED).state()).isEqualTo(FileState.VERIFIED);
    assertThat(index()).exists();
  }

  Store open() throws StoreException {
    return Store.open(roots, Clock.systemUTC());
  }

  Path index() {
    return roots.data().resolve("state/verified.index");
  }

  Path blob(int i) {
    return new Layout(roots).blob(manifest.files().get(i).sha256());
  }

  void deleteRecords() throws IOException {
    try (Stream<Path> s = Files.walk(roots.data().resolve("state/verified"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.delete(p);
      }
    }
  }

  ModelCheck check(VerifyMode mode) throws StoreException {
    Store s = open();
    return s.check(s.require(name), mode);
  }

  @Test
  void anUnchangedBlobIsTrustedThroughTheIndexAloneWithoutItsRecord() throws Exception {
    deleteRecords();
    ModelCheck c = check(VerifyMode.CACHED);
    assertThat(c.state()).isEqualTo(FileState.VERIFIED);
    assertThat(c.files()).allSatisfy(f -> assertThat(f.rehashed()).isFalse());
  }

  @Test
  void withoutTheIndexAndTheRecordsTheBlobIsUnverifiedWhichShowsTheIndexIsWhatAnswered() throws Exception {
    deleteRecords();
    Files.delete(index());
    assertThat(check(VerifyMode.STAT_ONLY).state()).isEqualTo(FileState.UNVERIFIED);
  }

  @Test
  void aChangedSizeDropsTheEntry() throws Exception {
    deleteRecords();
    blob(0).toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(blob(0).toFile(), "rw")) {
      raf.setLength(raf.length() - 1);
    }
    assertThat(check(VerifyMode.STAT_ONLY).files().get(0).state()).isEqualTo(FileState.UNVERIFIED);
    ModelCheck c = check(VerifyMode.CACHED);
    assertThat(c.files().get(0).state()).isEqualTo(FileState.CORRUPT);
    assertThat(c.files().get(0).rehashed()).isTrue();
    assertThat(c.files().get(1).rehashed()).as("the other blob is still answered by the index").isFalse();
  }

  @Test
  void aChangedModificationTimeDropsTheEntryAndTheBlobIsRehashed() throws Exception {
    deleteRecords();
    FileTime t = Files.getLastModifiedTime(blob(0));
    Files.setLastModifiedTime(blob(0), FileTime.from(t.to(TimeUnit.NANOSECONDS) - 1_000_000_000L, TimeUnit.NANOSECONDS));
    assertThat(check(VerifyMode.STAT_ONLY).files().get(0).state()).isEqualTo(FileState.UNVERIFIED);
    ModelCheck c = check(VerifyMode.CACHED);
    assertThat(c.files().get(0).state()).isEqualTo(FileState.VERIFIED);
    assertThat(c.files().get(0).rehashed()).isTrue();
  }

  @Test
  void aBlobReplacedByACopyWithTheSameBytesAndTimesIsANewInodeAndIsRehashed() throws Exception {
    deleteRecords();
    Path copy = dir.resolve("copy");
    Files.copy(blob(0), copy, StandardCopyOption.COPY_ATTRIBUTES);
    Object inodeBefore = Files.getAttribute(blob(0), "unix:ino", LinkOption.NOFOLLOW_LINKS);
    Files.move(copy, blob(0), StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.getAttribute(blob(0), "unix:ino", LinkOption.NOFOLLOW_LINKS)).isNotEqualTo(inodeBefore);
    assertThat(check(VerifyMode.STAT_ONLY).files().get(0).state()).isEqualTo(FileState.UNVERIFIED);
    ModelCheck c = check(VerifyMode.CACHED);
    assertThat(c.files().get(0).rehashed()).isTrue();
    assertThat(c.files().get(0).state()).isEqualTo(FileState.VERIFIED);
  }

  @Test
  void anEntryWhoseModificationTimeIsNotStrictlyOlderThanTheIndexIsRacilyCleanAndRehashed() throws Exception {
    deleteRecords();
    long blobMtime = Files.getLastModifiedTime(blob(0)).to(TimeUnit.NANOSECONDS);
    long other = Files.getLastModifiedTime(blob(1)).to(TimeUnit.NANOSECONDS);
    // The index written in the same tick as blob 0's last change: blob 0 could have changed after
    // its stamp was taken and kept it, so it must not be trusted.
    Files.setLastModifiedTime(index(), FileTime.from(blobMtime, TimeUnit.NANOSECONDS));
    ModelCheck c = check(VerifyMode.CACHED);
    assertThat(c.files().get(0).rehashed()).as("racily clean: re-hashed").isTrue();
    assertThat(c.files().get(1).rehashed()).as("blob 1 is racily clean too exactly when its time is not older")
        .isEqualTo(other >= blobMtime);
  }

  @Test
  void anEntryOneNanosecondOlderThanTheIndexIsTrusted() throws Exception {
    deleteRecords();
    long newest = Math.max(Files.getLastModifiedTime(blob(0)).to(TimeUnit.NANOSECONDS),
        Files.getLastModifiedTime(blob(1)).to(TimeUnit.NANOSECONDS));
    Files.setLastModifiedTime(index(), FileTime.from(newest + 1, TimeUnit.NANOSECONDS));
    assertThat(check(VerifyMode.CACHED).files()).allSatisfy(f -> assertThat(f.rehashed()).isFalse());
  }

  @Test
  void aRacilyCleanRecordIsNotTrustedEither() throws Exception {
    Files.delete(index());
    Path record = new Layout(roots).record(manifest.files().get(0).sha256());
    Files.setLastModifiedTime(record, Files.getLastModifiedTime(blob(0)));
    ModelCheck c = check(VerifyMode.CACHED);
    assertThat(c.files().get(0).rehashed()).isTrue();
    assertThat(c.files().get(1).rehashed()).isFalse();
  }

  @Test
  void aDamagedIndexIsIgnoredAndRebuiltFromTheRecords() throws Exception {
    byte[] bytes = Files.readAllBytes(index());
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(index(), bytes);
    // Nothing trusted from it: with the records gone the blobs are unknown.
    Path saved = dir.resolve("saved-records");
    copyTree(roots.data().resolve("state/verified"), saved);
    deleteRecords();
    assertThat(check(VerifyMode.STAT_ONLY).state()).isEqualTo(FileState.UNVERIFIED);
    copyTree(saved, roots.data().resolve("state/verified"));
    // The next check answers from the records and writes a good index again.
    assertThat(check(VerifyMode.STAT_ONLY).state()).isEqualTo(FileState.VERIFIED);
    var parsed = VerifiedIndex.parse(Files.readAllBytes(index()), Long.MAX_VALUE);
    assertThat(parsed.keySet()).containsExactlyInAnyOrderElementsOf(
        manifest.files().stream().map(ModelFile::sha256).toList());
  }

  @Test
  void anIndexOfAnotherVersionIsIgnored() throws Exception {
    byte[] bytes = Files.readAllBytes(index());
    bytes[7] = '2'; // "SOKOVIX2"
    Files.write(index(), bytes);
    deleteRecords();
    assertThat(check(VerifyMode.STAT_ONLY).state()).isEqualTo(FileState.UNVERIFIED);
  }

  @Test
  void aRecordRewrittenAsBadTakesTheBlobOutOfTheIndex() throws Exception {
    // A full verify whose hash disagrees with the manifest (bit rot that kept the stamp, as far as
    // a stat can tell): the record says bad, so the index must stop answering "good".
    Digest wrong = Digest.of(new byte[32]);
    Store rotten = Store.open(roots, Clock.systemUTC(), Steps.NONE, f -> new Hashing.Measured(wrong, Files.size(f)));
    ModelCheck full = rotten.check(rotten.require(name), VerifyMode.FULL);
    assertThat(full.state()).isEqualTo(FileState.CORRUPT);
    var parsed = VerifiedIndex.parse(Files.readAllBytes(index()), Long.MAX_VALUE);
    assertThat(parsed).isEmpty();
    ModelCheck cached = check(VerifyMode.STAT_ONLY);
    assertThat(cached.files()).allSatisfy(f -> assertThat(f.state()).isEqualTo(FileState.CORRUPT));
  }

  @Test
  void twoWritersLeaveAWholeIndexWhoseEveryEntryIsTrue() throws Exception {
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sources.add(StoreFixtures.randomFile(dir.resolve("src2"), "f" + i + ".bin", 10_000 + i, 100 + i));
    }
    Manifest many = StoreFixtures.manifest("many", sources.toArray(Path[]::new));
    Store s = open();
    try (Store.Install tx = s.beginInstall(many)) {
      for (ModelFile f : many.files()) {
        try (var in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
          s.putBlob(f, in, "test");
        }
      }
      tx.commit("test");
    }
    Files.delete(index());
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        fs.add(pool.submit(() -> {
          for (int round = 0; round < 20; round++) {
            Store mine = open();
            assertThat(mine.check(mine.installed(), VerifyMode.CACHED))
                .allSatisfy(c -> assertThat(c.state()).isEqualTo(FileState.VERIFIED));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    var parsed = VerifiedIndex.parse(Files.readAllBytes(index()), Long.MAX_VALUE);
    assertThat(parsed).hasSize(14);
    for (var e : parsed.values()) {
      assertThat(FileStamp.of(new Layout(roots).blob(e.sha256())).sameAs(e.stamp())).isTrue();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
