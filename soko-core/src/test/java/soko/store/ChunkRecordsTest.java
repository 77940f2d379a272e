package soko.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.verification.Digest;

/**
 * Chunk records: written with the blob from the same reading, checked on every core by a full
 * verify, naming the chunk that went bad; ignored by {@code --whole}, and by a full verify when
 * they are missing or do not fit the file, which then rebuilds them from a whole-file hash.
 */
class ChunkRecordsTest {
  private static final int MIB = 1024 * 1024;

  @TempDir
  Path dir;

  StoreRoots roots;
  Manifest manifest;
  Path source;
  ModelName name = ModelName.parse("chunked");

  @BeforeEach
  void install() throws Exception {
    roots = new StoreRoots(dir.resolve("data"), dir.resolve("cache"), dir.resolve("library"));
    source = StoreFixtures.randomFile(dir.resolve("src"), "big.bin", 40 * MIB + 123, 7); // chunks of 16, 16, 8 MiB
    manifest = StoreFixtures.manifest("chunked", source);
    Store store = Store.open(roots, Clock.systemUTC());
    try (Store.Install tx = store.beginInstall(manifest)) {
      for (ModelFile f : manifest.files()) {
        try (var in = Files.newInputStream(source)) {
          store.putBlob(f, in, "test");
        }
      }
      tx.commit("test");
    }
  }

  ModelFile file() {
    return manifest.files().getFirst();
  }

  Path blob() {
    return new Layout(roots).blob(file().sha256());
  }

  Path record() {
    return new Layout(roots).record(file().sha256());
  }

  VerificationRecord readRecord() throws Exception {
    return VerificationRecord.parse(Files.readAllBytes(record()));
  }

  ModelCheck check(VerifyMode mode) throws Exception {
    Store s = Store.open(roots, Clock.systemUTC());
    return s.check(s.require(name), mode);
  }

  /** The test's own oracle: each 16 MiB range of the source file, hashed with the JDK. */
  List<Digest> expectedChunks() throws Exception {
    byte[] all = Files.readAllBytes(source);
    List<Digest> out = new ArrayList<>();
    for (int at = 0; at < all.length; at += 16 * MIB) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(all, at, Math.min(16 * MIB, all.length - at));
      out.add(Digest.of(md.digest()));
    }
    return out;
  }

  void flipByteAt(long at) throws Exception {
    blob().toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(blob().toFile(), "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x40);
    }
  }

  @Test
  void writingABlobRecordsItsChunksFromTheSameReading() throws Exception {
    VerificationRecord r = readRecord();
    assertThat(r.chunks()).isPresent();
    assertThat(r.chunks().get().chunkSize()).isEqualTo(16L * MIB);
    assertThat(r.chunks().get().sha256()).containsExactlyElementsOf(expectedChunks());
  }

  @Test
  void aFullVerifyChecksTheChunksAndPasses() throws Exception {
    ModelCheck c = check(VerifyMode.FULL);
    assertThat(c.state()).isEqualTo(FileState.VERIFIED);
    assertThat(c.files().getFirst().rehashed()).isTrue();
    assertThat(readRecord().chunks().get().sha256()).containsExactlyElementsOf(expectedChunks());
  }

  @Test
  void aByteFlippedInTheMiddleChunkIsNamedByTheFullVerify() throws Exception {
    flipByteAt(20L * MIB);
    ModelCheck c = check(VerifyMode.FULL);
    assertThat(c.state()).isEqualTo(FileState.CORRUPT);
    assertThat(c.problems()).singleElement().asString()
        .startsWith("big.bin: 1 of 3 chunks of 16 MiB do not match (chunk 1), so its sha256 is no longer ");
    assertThat(readRecord().ok()).isFalse();
    assertThat(readRecord().chunks()).as("kept for a repair by chunks").isPresent();
    assertThat(check(VerifyMode.STAT_ONLY).state()).as("marked corrupt").isEqualTo(FileState.CORRUPT);
  }

  @Test
  void theWholeModeHashesTheFileAsOneStreamAgainstTheManifest() throws Exception {
    flipByteAt(20L * MIB);
    ModelCheck c = check(VerifyMode.WHOLE);
    assertThat(c.state()).isEqualTo(FileState.CORRUPT);
    assertThat(c.problems()).singleElement().asString().startsWith("big.bin: sha256 ")
        .endsWith(", expected " + file().sha256().hex());
  }

  @Test
  void chunkRecordsThatDoNotFitTheFileAreIgnoredAndAWholeHashDecides() throws Exception {
    VerificationRecord r = readRecord();
    // A list one chunk short, as a damaged record might say; its remaining digests are even right.
    Chunks shorter = new Chunks(r.chunks().get().chunkSize(), r.chunks().get().sha256().subList(0, 2));
    Files.write(record(), new VerificationRecord(r.sha256(), r.stamp(), r.verifiedAt(), true, "", Optional.of(shorter))
        .toJson());
    flipByteAt(40L * MIB + 100); // in the third chunk, which the short list does not cover
    ModelCheck c = check(VerifyMode.FULL);
    assertThat(c.state()).isEqualTo(FileState.CORRUPT);
    assertThat(c.problems()).singleElement().asString().startsWith("big.bin: sha256 ");
  }

  @Test
  void aFileWithoutChunkRecordsGetsThemFromItsWholeHash() throws Exception {
    Files.delete(record());
    Files.deleteIfExists(roots.data().resolve("state/verified.index"));
    ModelCheck c = check(VerifyMode.FULL);
    assertThat(c.state()).isEqualTo(FileState.VERIFIED);
    assertThat(readRecord().chunks().get().sha256()).containsExactlyElementsOf(expectedChunks());
  }

  @Test
  void aBadWholeHashRecordsNoChunks() throws Exception {
    Files.delete(record());
    flipByteAt(5);
    assertThat(check(VerifyMode.FULL).state()).isEqualTo(FileState.CORRUPT);
    assertThat(readRecord().ok()).isFalse();
    assertThat(readRecord().chunks()).isEmpty();
  }
}
