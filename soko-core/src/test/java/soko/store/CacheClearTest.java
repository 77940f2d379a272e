package soko.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.verification.Digest;
import soko.verification.Hashing;

/** Clearing the cache loses no byte of the media library, whatever is planted in the cache. */
class CacheClearTest {
  @TempDir
  Path home;

  Path library;
  Store store;
  Map<String, Digest> libraryBefore;

  @BeforeEach
  void setUp() throws Exception {
    library = Files.createDirectories(home.resolve("library"));
    StoreFixtures.randomFile(library.resolve("2026/trip"), "interview-ja.wav", 200_000, 11);
    StoreFixtures.randomFile(library.resolve("2026/trip"), "notes.txt", 3_000, 12);
    StoreFixtures.randomFile(library, "podcast-ko.mp3", 150_000, 13);
    store = Store.open(new StoreRoots(home.resolve("data"), home.resolve("cache"), library), Clock.systemUTC());
    libraryBefore = snapshot(library);
  }

  /** Every regular file under a folder with its sha256, links not followed. */
  static Map<String, Digest> snapshot(Path root) throws IOException {
    Map<String, Digest> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(root.relativize(p).toString(), Hashing.sha256(p).digest());
        }
      }
    }
    return out;
  }

  @Test
  void afterTheDownloaderHadItsTurnADownloadThatStartedMeanwhileIsLeftToIt() throws Exception {
    // The downloader removes what it may under its locks first; a download that starts after that
    // must not lose its partial file to the sweep that follows (found by the concurrency harness:
    // "cannot move the verified download … NoSuchFileException").
    Path downloads = store.downloadsDir();
    Path partial = StoreFixtures.randomFile(downloads, "cd".repeat(32) + ".partial", 10_000, 16);
    Path record = Files.writeString(downloads.resolve("cd".repeat(32) + ".json"), "{}");
    Path foreign = StoreFixtures.randomFile(downloads, "not-a-download.bin", 1_000, 17);
    Path scratch = StoreFixtures.randomFile(store.cacheScratch().resolve("engine"), "scratch.bin", 3_000, 18);

    store.clearCacheAfterDownloads(java.util.Set.of());

    assertThat(partial).exists();
    assertThat(record).exists();
    assertThat(foreign).doesNotExist();
    assertThat(scratch).doesNotExist();
    assertThat(snapshot(library)).isEqualTo(libraryBefore);
  }

  @Test
  void aLibraryNextToTheCacheKeepsEveryByteAndTheCacheIsEmptied() throws Exception {
    Path downloads = store.downloadsDir();
    StoreFixtures.randomFile(downloads, "ab".repeat(32) + ".partial", 70_000, 14);
    Files.writeString(downloads.resolve("ab".repeat(32) + ".json"), "{}");
    StoreFixtures.randomFile(store.cacheScratch().resolve("engine"), "scratch.bin", 30_000, 15);

    CacheClearReport r = store.clearCache(false);

    assertThat(snapshot(library)).isEqualTo(libraryBefore);
    assertThat(r.filesRemoved()).isEqualTo(3);
    assertThat(r.bytesFreed()).isEqualTo(70_000 + 2 + 30_000);
    assertThat(r.partialDownloads()).isEqualTo(1);
    assertThat(r.partialBytes()).isEqualTo(70_000);
    assertThat(Files.exists(home.resolve("cache/CACHEDIR.TAG"))).isTrue();
    try (Stream<Path> s = Files.walk(home.resolve("cache"))) {
      assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())).containsExactly("CACHEDIR.TAG");
    }
    assertThat(store.usage().cache()).isLessThan(1000);
  }

  @Test
  void symbolicLinksIntoTheLibraryAreRemovedAsLinksAndTheirTargetsSurvive() throws Exception {
    Path tmp = store.cacheScratch();
    Files.createSymbolicLink(tmp.resolve("to-file"), library.resolve("podcast-ko.mp3"));
    Files.createSymbolicLink(tmp.resolve("to-folder"), library.resolve("2026"));
    Files.createSymbolicLink(tmp.resolve("to-library"), library);
    Files.createSymbolicLink(home.resolve("cache/top-link"), library.resolve("2026/trip"));

    CacheClearReport r = store.clearCache(false);

    assertThat(snapshot(library)).isEqualTo(libraryBefore);
    assertThat(r.bytesFreed()).as("links free nothing").isZero();
    assertThat(r.filesRemoved()).isEqualTo(4);
    assertThat(tmp.resolve("to-folder")).doesNotExist();
  }

  @Test
  void hardLinksToLibraryFilesAreUnlinkedWithoutTouchingTheLibraryCopy() throws Exception {
    Path target = library.resolve("2026/trip/interview-ja.wav");
    Files.createLink(store.cacheScratch().resolve("hard.wav"), target);
    Files.createLink(store.downloadsDir().resolve("cd".repeat(32) + ".partial"), library.resolve("podcast-ko.mp3"));

    CacheClearReport r = store.clearCache(false);

    assertThat(snapshot(library)).isEqualTo(libraryBefore);
    assertThat(r.filesRemoved()).isEqualTo(2);
    assertThat(r.bytesFreed()).as("a file with other links frees no space").isZero();
  }

  @Test
  void aDryRunReportsAndRemovesNothing() throws Exception {
    StoreFixtures.randomFile(store.cacheScratch(), "x.bin", 5_000, 16);
    CacheClearReport r = store.clearCache(true);
    assertThat(r.dryRun()).isTrue();
    assertThat(r.bytesFreed()).isEqualTo(5_000);
    assertThat(store.cacheScratch().resolve("x.bin")).exists();
  }

  @Test
  void installedModelsSurviveACacheClear() throws Exception {
    Path src = StoreFixtures.randomFile(home.resolve("src"), "m.bin", 10_000, 17);
    soko.manifest.Manifest m = StoreFixtures.manifest("kept", src);
    try (Store.Install tx = store.beginInstall(m); var in = Files.newInputStream(src)) {
      store.putBlob(m.files().get(0), in, "test");
      tx.commit("test");
    }
    store.clearCache(false);
    assertThat(store.verified(m.name(), VerifyMode.FULL).files()).hasSize(1);
  }

  @Test
  void aCacheRootThatIsASymbolicLinkIsRefused(@TempDir Path other) throws Exception {
    Path realCache = Files.createDirectories(other.resolve("real-cache"));
    Path linkedCache = Files.createSymbolicLink(other.resolve("cache"), realCache);
    Store s = Store.open(new StoreRoots(other.resolve("data"), linkedCache, other.resolve("lib")), Clock.systemUTC());
    StoreFixtures.randomFile(realCache, "keep.bin", 100, 18);
    assertThatThrownBy(() -> s.clearCache(false)).isInstanceOf(StoreConfigException.class)
        .hasMessage("the cache root " + linkedCache + " is a symbolic link; Soko never follows links when deleting:"
            + " point --home or SOKO_HOME at the real folder");
    assertThat(realCache.resolve("keep.bin")).exists();
  }

  @Test
  void theLibraryAsTheCacheRootIsRefusedBeforeAnythingIsOpened() {
    assertThatThrownBy(() -> Store.open(new StoreRoots(home.resolve("d2"), library, library), Clock.systemUTC()))
        .isInstanceOf(StoreConfigException.class)
        .hasMessageContaining("the cache root " + library + " and the media library " + library + " overlap");
    assertThat(library.resolve("CACHEDIR.TAG")).doesNotExist();
  }

  @Test
  void idleUploadsAreClearedAndCountedAnUploadAnotherProcessHoldsSurvivesAndLinksInsideAreNotFollowed()
      throws Exception {
    Path uploads = home.resolve("cache/uploads");
    Path idle = Files.createDirectories(uploads.resolve("bundle-111"));
    StoreFixtures.randomFile(idle, "cut off.tar", 40_000, 21);
    Files.createFile(idle.resolve(CacheSweeper.UPLOAD_LOCK)); // left by a server that is gone: not locked
    Files.createSymbolicLink(idle.resolve("to-library-file"), library.resolve("podcast-ko.mp3"));
    Files.createSymbolicLink(uploads.resolve("bundle-222"), library.resolve("2026"));
    Path busy = Files.createDirectories(uploads.resolve("bundle-333"));
    Path arriving = StoreFixtures.randomFile(busy, "arriving.tar", 25_000, 22);
    Path push = Files.writeString(uploads.resolve("9c1d2e3f4a5b-" + "ab".repeat(32) + ".upload.json"), "{}");
    settled(idle);
    long cacheBefore = store.usage().cache();
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    Process holder = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"), UploadLockHolder.class.getName(),
        busy.resolve(CacheSweeper.UPLOAD_LOCK).toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    CacheClearReport r;
    try {
      assertThat(new String(holder.getInputStream().readNBytes(6), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("locked");
      settled(busy); // made by the holder's lock file just now: old enough, so the lock decides

      r = store.clearCache(false);
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    assertThat(cacheBefore).as("storage use counts the uploads").isGreaterThanOrEqualTo(40_000 + 25_000);
    assertThat(idle).doesNotExist();
    assertThat(uploads.resolve("bundle-222")).doesNotExist();
    assertThat(push).doesNotExist();
    assertThat(arriving).exists();
    assertThat(r.skipped()).containsExactly(busy + " (an upload in progress)");
    assertThat(r.bytesFreed()).isEqualTo(40_000 + 2);
    assertThat(snapshot(library)).isEqualTo(libraryBefore);
    assertThat(store.clearCache(false).skipped()).as("once its receiver is gone").isEmpty();
    assertThat(busy).doesNotExist();
  }

  @Test
  void anUploadThisProcessNamesAsInProgressSurvivesADryRunAndAClear() throws Exception {
    Path busy = Files.createDirectories(home.resolve("cache/uploads/bundle-444"));
    Path arriving = StoreFixtures.randomFile(busy, "arriving.tar", 5_000, 23);
    Path stale = StoreFixtures.randomFile(home.resolve("cache/uploads/bundle-555"), "old.tar", 7_000, 24);
    settled(busy);
    settled(stale.getParent());

    CacheClearReport dry = store.clearCache(true, java.util.Set.of(busy));
    CacheClearReport r = store.clearCache(false, java.util.Set.of(busy));

    assertThat(dry.bytesFreed()).isEqualTo(7_000);
    assertThat(r.bytesFreed()).isEqualTo(7_000);
    assertThat(arriving).exists();
    assertThat(stale).doesNotExist();
    assertThat(r.skipped()).containsExactly(busy + " (an upload in progress)");
  }

  @Test
  void anUploadFolderMadeAMomentAgoIsKeptThoughItsLockIsNotTakenYet() throws Exception {
    // The receiver takes the lock just after making the folder: a clear in between must not take it.
    Path fresh = Files.createDirectories(home.resolve("cache/uploads/bundle-666"));
    Path arriving = StoreFixtures.randomFile(fresh, "arriving.tar", 3_000, 25);
    Path old = StoreFixtures.randomFile(home.resolve("cache/uploads/bundle-777"), "old.tar", 4_000, 26);
    settled(old.getParent());

    CacheClearReport r = store.clearCache(false);

    assertThat(arriving).exists();
    assertThat(old).doesNotExist();
    assertThat(r.skipped()).containsExactly(fresh + " (an upload in progress)");
  }

  /** Sets an upload folder's modification time back past {@link CacheSweeper#UPLOAD_SETTLE}. */
  private static void settled(Path folder) throws java.io.IOException {
    Files.setLastModifiedTime(folder, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(CacheSweeper.UPLOAD_SETTLE).minusSeconds(60)));
  }
}
