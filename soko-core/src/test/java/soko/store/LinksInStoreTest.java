package soko.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;

/**
 * A symbolic link found where a store file or folder belongs is never followed, never written
 * through, never chmodded and never published: it is moved aside (as a link), and what it points
 * to stays exactly as it was.
 */
class LinksInStoreTest {
  @TempDir
  Path dir;

  Path home;
  Path outside;
  Path photo;
  Store store;
  Manifest m;

  @BeforeEach
  void open() throws Exception {
    home = dir.resolve("home");
    outside = Files.createDirectories(dir.resolve("user-files"));
    photo = Files.writeString(outside.resolve("photo.jpg"), "precious");
    store = Store.open(StoreChild.roots(home), Clock.systemUTC());
    m = StoreFixtures.manifest("model", StoreFixtures.randomFile(dir.resolve("src"), "w.bin", 50_000, 5));
  }

  private void install(Store s) throws Exception {
    try (Store.Install tx = s.beginInstall(m)) {
      for (ModelFile f : tx.missingFiles()) {
        try (InputStream in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
          s.putBlob(f, in, "test");
        }
      }
      tx.commit("test");
    }
  }

  private Path blob() {
    return store.blobPath(m.files().getFirst().sha256());
  }

  @ParameterizedTest
  @ValueSource(strings = {"data/blobs", "data/blobs/sha256", "data/state/verified", "data/state/pending", "data/tmp",
      "data/refs", "data/quarantine", "cache/downloads", "cache/tmp"})
  void openingMovesALinkedStoreFolderAsideAndMakesARealOne(String folder) throws Exception {
    Path place = home.resolve(folder);
    deleteTree(place);
    Files.createSymbolicLink(place, outside);

    Store reopened = Store.open(StoreChild.roots(home), Clock.systemUTC());

    assertThat(Files.isSymbolicLink(place)).isFalse();
    assertThat(place).isDirectory();
    assertThat(outsideFiles()).as("nothing outside the store moved or changed").containsExactly(photo);
    assertThat(photo).hasContent("precious");
    assertThat(reopened.notices()).singleElement().asString()
        .contains("a symbolic link to " + outside + " found where the store keeps the folder " + folder);
    install(reopened);
    assertThat(reopened.gc(false).removed()).as("gc no longer refuses, and deletes the link, never its target")
        .singleElement().asString().contains("folder." + folder.replace('/', '+'));
    assertThat(reopened.notices()).isEmpty();
    assertThat(outsideFiles()).containsExactly(photo);
  }

  @Test
  void aBlobThatIsALinkIsCorruptAndARepairMovesItAsideWithoutTouchingItsTarget() throws Exception {
    install(store);
    Files.delete(blob());
    Files.createSymbolicLink(blob(), photo);
    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(photo));

    ModelCheck check = store.check(store.require(ModelName.parse("model")), VerifyMode.FULL);
    assertThat(check.state()).isEqualTo(FileState.CORRUPT);
    assertThat(check.problems()).singleElement().asString().contains("is not a regular file in the store");
    assertThat(store.hasBlob(m.files().getFirst().sha256())).isFalse();

    install(store);

    assertThat(Files.isSymbolicLink(blob())).isFalse();
    assertThat(store.verified(ModelName.parse("model"), VerifyMode.FULL).files()).hasSize(1);
    assertThat(photo).hasContent("precious");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(photo))).as("never chmodded").isEqualTo(mode);
    assertThat(store.notices()).singleElement().asString().contains("a symbolic link to " + photo);
  }

  @Test
  void gcRemovesALinkInTheBlobFoldersAsALink() throws Exception {
    install(store);
    Files.delete(blob());
    Files.createSymbolicLink(blob(), photo);
    StorageUse use = store.usage();
    assertThat(use.orphanCount()).as("a link is never a model's blob").isEqualTo(1);

    GcReport gc = store.gc(false);

    assertThat(gc.removed()).containsExactly(blob().toString());
    assertThat(blob()).doesNotExist();
    assertThat(photo).hasContent("precious");
  }

  @Test
  void aBlobFanOutFolderThatIsALinkIsNeverPublishedThrough() throws Exception {
    Path fanOut = blob().getParent();
    Files.createDirectories(fanOut.getParent());
    Files.createSymbolicLink(fanOut, outside);

    install(store);

    assertThat(outsideFiles()).as("the blob was not published into the link's target").containsExactly(photo);
    assertThat(Files.isSymbolicLink(fanOut)).isFalse();
    assertThat(store.verified(ModelName.parse("model"), VerifyMode.FULL).files()).hasSize(1);
  }

  @Test
  void aRecordThatIsALinkIsNeitherTrustedNorWrittenThrough() throws Exception {
    install(store);
    Path record = home.resolve("data/state/verified").resolve(m.files().getFirst().sha256().hex().substring(0, 2))
        .resolve(m.files().getFirst().sha256().hex() + ".json");
    Path forged = Files.copy(record, outside.resolve("record.json"));
    byte[] forgedBytes = Files.readAllBytes(forged);
    Files.delete(record);
    Files.createSymbolicLink(record, forged);

    ModelCheck stat = store.checkWithoutHashing(store.require(ModelName.parse("model")));
    assertThat(stat.state()).as("a record read through a link would say verified").isEqualTo(FileState.UNVERIFIED);
    store.verified(ModelName.parse("model"), VerifyMode.CACHED);

    assertThat(Files.isSymbolicLink(record)).as("replaced by a real record").isFalse();
    assertThat(forged).hasBinaryContent(forgedBytes);
  }

  @Test
  void aRefThatIsALinkMakesTheModelDamagedAndInstallingAgainMovesItAside() throws Exception {
    install(store);
    Path ref = home.resolve("data/refs/model.json");
    Path copy = Files.copy(ref, outside.resolve("ref.json"));
    byte[] copyBytes = Files.readAllBytes(copy);
    Files.delete(ref);
    Files.createSymbolicLink(ref, copy);

    assertThatThrownBy(() -> store.installed(ModelName.parse("model"))).isInstanceOf(StoreConfigException.class)
        .hasMessage(ref + " is a symbolic link; Soko never follows links inside its store: run `soko install model`"
            + " to reinstall the model");

    install(store);

    assertThat(Files.isSymbolicLink(ref)).isFalse();
    assertThat(store.installed(ModelName.parse("model"))).isPresent();
    assertThat(copy).hasBinaryContent(copyBytes);
    assertThat(store.notices()).singleElement().asString().contains("found where the store keeps a ref");
  }

  private List<Path> outsideFiles() throws Exception {
    try (Stream<Path> s = Files.walk(outside)) {
      return s.filter(p -> !p.equals(outside)).toList();
    }
  }

  private static void deleteTree(Path p) throws Exception {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
