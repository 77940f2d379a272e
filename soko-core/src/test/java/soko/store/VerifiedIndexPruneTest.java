package soko.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.verification.Digest;

/**
 * The store index ({@link VerifiedIndex}) forgets the blobs Soko deletes: a removal, and dropping a
 * kept version, take their blobs' entries out, gc takes out the entries a removal killed after deleting a blob left behind,
 * and a file later found at a deleted blob's place is not trusted through an old entry.
 */
class VerifiedIndexPruneTest {
  @TempDir
  Path dir;

  Path home;
  Manifest a;
  Manifest b;
  static final ModelName A = ModelName.parse("model-a");

  @BeforeEach
  void install() throws Exception {
    home = dir.resolve("home");
    Path src = dir.resolve("src");
    Path shared = StoreFixtures.randomFile(src, "shared.bin", 100_000, 1);
    a = StoreFixtures.manifest("model-a", shared, StoreFixtures.randomFile(src, "a1.bin", 200_000, 2),
        StoreFixtures.randomFile(src, "a2.bin", 300_000, 3));
    b = StoreFixtures.manifest("model-b", shared);
    Store store = open();
    installInto(store, a);
    installInto(store, b);
    // A check reads the records and writes the index with the three blobs.
    assertThat(open().check(store.require(A), VerifyMode.CACHED).state()).isEqualTo(FileState.VERIFIED);
    assertThat(indexed().keySet()).containsExactlyInAnyOrderElementsOf(a.files().stream().map(ModelFile::sha256).toList());
  }

  Store open() throws StoreException {
    return Store.open(StoreChild.roots(home), Clock.systemUTC());
  }

  static void installInto(Store store, Manifest m) throws Exception {
    try (Store.Install tx = store.beginInstall(m)) {
      for (ModelFile f : m.files()) {
        try (var in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
          store.putBlob(f, in, "test");
        }
      }
      tx.commit("test");
    }
  }

  Map<Digest, VerifiedIndex.Entry> indexed() throws Exception {
    return VerifiedIndex.parse(Files.readAllBytes(home.resolve("data/state/verified.index")), Long.MAX_VALUE);
  }

  Digest shared() {
    return b.files().getFirst().sha256();
  }

  Path blob(Digest d) {
    return new Layout(StoreChild.roots(home)).blob(d);
  }

  @Test
  void rmTakesTheEntriesOfTheBlobsItDeletedOutOfTheIndexAndKeepsTheSharedOne() throws Exception {
    open().remove(A);
    assertThat(indexed().keySet()).as("only the blob model-b still uses").containsExactly(shared());
  }

  @Test
  void gcTakesOutTheEntryOfABlobThatARemovalKilledAfterDeletingItLeftBehind() throws Exception {
    Digest gone = killRemovalAfterItsFirstBlob();
    assertThat(indexed()).as("the kill left the deleted blob's entry").containsKey(gone);

    open().gc(false);

    assertThat(indexed().keySet()).containsExactly(shared());
  }

  @Test
  void gcTakesOutAnEntryWhoseBlobIsGoneWhoeverDeletedIt() throws Exception {
    Digest d = a.files().get(1).sha256();
    Files.delete(blob(d)); // behind Soko's back
    open().gc(false);
    assertThat(indexed()).doesNotContainKey(d).containsKey(shared());
  }

  @Test
  void droppingAKeptVersionTakesOutTheEntryOfTheBlobItFreed() throws Exception {
    Path src = dir.resolve("src");
    Manifest v2 = StoreFixtures.manifest("model-a", "2.0.0", java.util.List.of(a.files().get(0), a.files().get(1),
        StoreFixtures.fileOf("a3.bin", StoreFixtures.randomFile(src, "a3.bin", 400_000, 4))));
    Store store = open();
    try (Store.Install tx = store.beginInstall(v2)) {
      for (ModelFile f : tx.missingFiles()) {
        try (var in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
          store.putBlob(f, in, "test");
        }
      }
      tx.commit("test", true);
    }
    Digest onlyV1 = a.files().get(2).sha256();
    assertThat(indexed()).containsKey(onlyV1);

    assertThat(open().dropPrevious(A).bytesFreed()).isPositive();

    assertThat(indexed()).doesNotContainKey(onlyV1).containsKeys(shared(), a.files().get(1).sha256());
  }

  @Test
  void aDryRunGcLeavesTheIndexAlone() throws Exception {
    Digest d = a.files().get(1).sha256();
    Files.delete(blob(d));
    byte[] before = Files.readAllBytes(home.resolve("data/state/verified.index"));
    open().gc(true);
    assertThat(Files.readAllBytes(home.resolve("data/state/verified.index"))).isEqualTo(before);
  }

  @Test
  void otherBytesFoundLaterAtADeletedBlobsPlaceAreNotTrustedThroughItsOldEntry() throws Exception {
    Digest gone = killRemovalAfterItsFirstBlob();
    VerifiedIndex.Entry old = indexed().get(gone);
    // Other bytes of the same size, with the old modification time, where the blob was.
    byte[] other = new byte[(int) old.stamp().size()];
    new Random(99).nextBytes(other);
    Files.write(blob(gone), other);
    Files.setLastModifiedTime(blob(gone), FileTime.from(old.stamp().mtimeNanos(), TimeUnit.NANOSECONDS));

    assertThat(indexed()).as("the kill left the old entry").containsKey(gone);

    // Installed again: the file found at the blob's place is hashed, not trusted through the entry.
    installInto(open(), a);

    ModelCheck c = open().check(open().require(A), VerifyMode.FULL);
    assertThat(c.state()).isEqualTo(FileState.VERIFIED);
    assertThat(Files.readAllBytes(blob(gone))).isNotEqualTo(other);
  }

  /** Kills {@code rm model-a} right after it deleted its first blob; returns that blob's digest. */
  private Digest killRemovalAfterItsFirstBlob() throws Exception {
    Path ready = dir.resolve("ready");
    StoreChild.startAndKill(dir.resolve("rm.log"), ready, "rm", home.toString(), A.value(), "blob-deleted",
        ready.toString());
    var gone = a.files().stream().map(ModelFile::sha256).filter(d -> !Files.exists(blob(d))).toList();
    assertThat(gone).as("killed after its first blob").hasSize(1);
    return gone.getFirst();
  }
}
