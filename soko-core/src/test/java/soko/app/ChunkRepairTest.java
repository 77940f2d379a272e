package soko.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.acquisition.DownloadSettings;
import soko.acquisition.Downloader;
import soko.manifest.ChunkDigests;
import soko.manifest.EngineRequirement;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.store.FileState;
import soko.store.Store;
import soko.store.StoreRoots;
import soko.store.VerifyMode;
import soko.testkit.nginx.Nginx;
import soko.verification.Digest;

/**
 * Repair by chunks against Debian's nginx: a 40 MiB model (chunks of 16, 16 and 8 MiB) installed
 * from nginx, given chunk records by a full verify, then corrupted; installing it again fetches only
 * the failing chunks by range (counted in the bytes nginx logs as sent) and proves the whole file.
 * A model whose manifest lists chunk digests is repaired by them without any chunk records.
 */
class ChunkRepairTest {
  private static final int MIB = 1024 * 1024;
  private static final int SIZE = 40 * MIB + 5;

  @TempDir
  Path tmp;

  Nginx nginx;
  byte[] content;
  Manifest manifest;
  Store store;
  InstallService installs;

  @BeforeEach
  void start() throws Exception {
    Optional<String> why = Nginx.unavailableReason();
    if (why.isPresent()) {
      System.out.println("Skipping the chunk repair tests: " + why.get());
    }
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
    nginx = Nginx.start(tmp.resolve("nginx"));
    content = new byte[SIZE];
    new Random(5).nextBytes(content);
    manifest = model("ranged", "m.bin", content, Optional.empty());
    StoreRoots roots = new StoreRoots(tmp.resolve("data"), tmp.resolve("cache"), tmp.resolve("library"));
    store = Store.open(roots, Clock.systemUTC());
    installs = new InstallService(store, new Downloader(roots.cache().resolve("downloads"), DownloadSettings.DEFAULTS,
        InstantSource.system()), false);
    installs.install(manifest, "test", Consent.APPROVE, e -> { });
    // A download records no chunks; the first full verify does, from the bytes it proves.
    assertThat(store.check(store.require(manifest.name()), VerifyMode.FULL).state()).isEqualTo(FileState.VERIFIED);
  }

  /** A one-file model served by nginx as {@code path}, with the chunk digests given. */
  Manifest model(String name, String path, byte[] bytes, Optional<ChunkDigests> chunks) throws Exception {
    Files.write(nginx.root().resolve(path), bytes);
    ModelFile file = new ModelFile(RelativePath.parse(path), bytes.length,
        Digest.of(MessageDigest.getInstance("SHA-256").digest(bytes)), List.of(new SourceUri(nginx.uri("/" + path))),
        chunks);
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "test model", List.of(TaskSpec.vad()),
        new EngineRequirement("test-engine", VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), "test"), List.of(file), false, Map.of());
  }

  @AfterEach
  void stop() throws IOException {
    if (nginx != null) {
      nginx.close();
    }
  }

  Path blob() {
    return store.blobPath(manifest.files().getFirst().sha256());
  }

  void flipByteAt(long at) throws IOException {
    flipByteAt(blob(), at);
  }

  static void flipByteAt(Path blob, long at) throws IOException {
    blob.toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(blob.toFile(), "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x01);
    }
  }

  List<Nginx.Entry> requestsAfter(int seen) throws Exception {
    List<Nginx.Entry> all = nginx.accessLog();
    return all.subList(seen, all.size());
  }

  @Test
  void aChunkCorruptedInTheMiddleIsFetchedAloneByRangeAndTheWholeFileProven() throws Exception {
    int seen = nginx.awaitEntries(1, Duration.ofSeconds(5)).size();
    flipByteAt(20L * MIB);
    assertThat(store.check(store.require(manifest.name()), VerifyMode.CACHED).state()).isEqualTo(FileState.CORRUPT);

    installs.install(manifest, "test", Consent.APPROVE, e -> { });

    List<Nginx.Entry> sent = requestsAfter(seen);
    assertThat(sent).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(206);
      assertThat(e.range()).isEqualTo("bytes=" + 16 * MIB + "-" + (32 * MIB - 1));
      assertThat(e.bodyBytesSent()).isEqualTo(16L * MIB);
    });
    assertThat(Files.readAllBytes(blob())).isEqualTo(content);
    assertThat(store.check(store.require(manifest.name()), VerifyMode.WHOLE).state()).isEqualTo(FileState.VERIFIED);
  }

  @Test
  void twoBadChunksAreTwoRangesAndTheShortLastChunkEndsAtTheFileEnd() throws Exception {
    int seen = nginx.awaitEntries(1, Duration.ofSeconds(5)).size();
    flipByteAt(3);
    flipByteAt(SIZE - 1);

    installs.install(manifest, "test", Consent.APPROVE, e -> { });

    List<Nginx.Entry> sent = requestsAfter(seen);
    assertThat(sent).extracting(Nginx.Entry::range)
        .containsExactly("bytes=0-" + (16 * MIB - 1), "bytes=" + 32 * MIB + "-" + (SIZE - 1));
    assertThat(sent.stream().mapToLong(Nginx.Entry::bodyBytesSent).sum()).isEqualTo(16L * MIB + (SIZE - 32L * MIB));
    assertThat(Files.readAllBytes(blob())).isEqualTo(content);
  }

  @Test
  void whenTheMirrorChangedTheRangedRepairFailsItsWholeHashAndTheWholeFileIsFetched() throws Exception {
    int seen = nginx.awaitEntries(1, Duration.ofSeconds(5)).size();
    flipByteAt(20L * MIB);
    // The mirror now serves other bytes in that chunk: the repaired file cannot match the manifest.
    byte[] other = content.clone();
    other[20 * MIB + 7] ^= 0x55;
    Files.write(nginx.root().resolve("m.bin"), other);

    Throwable failed = null;
    try {
      installs.install(manifest, "test", Consent.APPROVE, e -> { });
    } catch (Exception e) {
      failed = e;
    }

    List<Nginx.Entry> sent = requestsAfter(seen);
    assertThat(sent.getFirst().range()).isEqualTo("bytes=" + 16 * MIB + "-" + (32 * MIB - 1));
    assertThat(sent).as("then the whole file, which fails its sha256 too").hasSizeGreaterThan(1);
    assertThat(failed).as("the mirror serves the wrong bytes: nothing is published").isNotNull();
    assertThat(store.check(store.require(manifest.name()), VerifyMode.CACHED).state()).isEqualTo(FileState.CORRUPT);
  }

  @Test
  void withoutChunkRecordsTheManifestsChunkDigestsNameTheChunkToFetch() throws Exception {
    byte[] other = new byte[SIZE];
    new Random(9).nextBytes(other);
    List<Digest> chunks = new ArrayList<>();
    for (int from = 0; from < SIZE; from += 4 * MIB) {
      chunks.add(Digest.of(MessageDigest.getInstance("SHA-256")
          .digest(Arrays.copyOfRange(other, from, Math.min(SIZE, from + 4 * MIB)))));
    }
    Manifest chunked = model("chunked", "c.bin", other, Optional.of(new ChunkDigests(4 * MIB, chunks)));
    installs.install(chunked, "test", Consent.APPROVE, e -> { }); // a download writes no chunk records
    Path blob = store.blobPath(chunked.files().getFirst().sha256());
    int seen = nginx.awaitEntries(2, Duration.ofSeconds(5)).size();
    flipByteAt(blob, 21L * MIB);
    assertThat(store.check(store.require(chunked.name()), VerifyMode.CACHED).state()).isEqualTo(FileState.CORRUPT);

    installs.install(chunked, "test", Consent.APPROVE, e -> { });

    assertThat(requestsAfter(seen)).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(206);
      assertThat(e.range()).isEqualTo("bytes=" + 20 * MIB + "-" + (24 * MIB - 1));
      assertThat(e.bodyBytesSent()).isEqualTo(4L * MIB);
    });
    assertThat(Files.readAllBytes(blob)).isEqualTo(other);
    assertThat(store.check(store.require(chunked.name()), VerifyMode.WHOLE).state()).isEqualTo(FileState.VERIFIED);
  }
}
