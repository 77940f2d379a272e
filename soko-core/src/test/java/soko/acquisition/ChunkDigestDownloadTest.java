package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static soko.acquisition.Files4Test.randomBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.events.TransferEvent;
import soko.manifest.ChunkDigests;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.testkit.RequiredTool;
import soko.testkit.nginx.Nginx;
import soko.verification.Digest;

/**
 * Ranged downloads of a file whose manifest lists chunk digests, against Debian's nginx: two
 * mirrors, the first serving one corrupted chunk (through {@code /slow/}, which caps each
 * connection, so that its ranges arrive side by side), the second the right file.
 */
class ChunkDigestDownloadTest {
  static final int MIB = 1 << 20;
  static final int SIZE = 16 * MIB;
  /** The first chunk of the second range (of four): the bad mirror's first bad chunk. */
  static final int BAD_CHUNK = 4;

  @TempDir Path tmp;
  Nginx nginx;
  byte[] content = randomBytes(SIZE, 11);
  Recorder events = new Recorder();
  Downloader downloader;

  @BeforeEach
  void start() throws IOException {
    RequiredTool.require(Nginx.unavailableReason());
    nginx = Nginx.start(tmp.resolve("nginx"));
    byte[] corrupted = content.clone();
    for (int i = BAD_CHUNK * MIB + 100; i < BAD_CHUNK * MIB + 200; i++) {
      corrupted[i] ^= 0x5a;
    }
    Files.write(nginx.root().resolve("bad.bin"), corrupted);
    Files.write(nginx.root().resolve("good.bin"), content);
    for (String f : List.of("bad.bin", "good.bin")) {
      Files.setLastModifiedTime(nginx.root().resolve(f), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
    }
    downloader = new Downloader(tmp.resolve("downloads"), RangedDownloadTest.SETTINGS.withMinRangeBytes(4 << 20), InstantSource.system());
  }

  @AfterEach
  void stop() throws IOException {
    Thread.interrupted();
    if (nginx != null) {
      nginx.close();
    }
    events.assertGrammar();
  }

  /** The sha256 of each 1 MiB slice of the content, by the JDK's digest over array slices. */
  static List<Digest> chunkDigests(byte[] bytes, int chunk) throws Exception {
    List<Digest> out = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += chunk) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunk)));
      out.add(Digest.of(md.digest()));
    }
    return out;
  }

  ModelFile file(String... paths) throws Exception {
    return new ModelFile(RelativePath.parse("weights/m.bin"), SIZE,
        Digest.of(MessageDigest.getInstance("SHA-256").digest(content)),
        Arrays.stream(paths).map(p -> new SourceUri(nginx.uri(p))).toList(),
        Optional.of(new ChunkDigests(MIB, chunkDigests(content, MIB))));
  }

  @Test
  void aMirrorWithABadChunkIsDroppedAtThatChunkAndTheNextMirrorFinishesTheRanges() throws Exception {
    ModelFile file = file("/slow/bad.bin", "/good.bin");

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    List<Nginx.Entry> log = nginx.accessLog();
    List<Nginx.Entry> bad = log.stream().filter(e -> e.path().equals("/slow/bad.bin")).toList();
    List<Nginx.Entry> good = log.stream().filter(e -> e.path().equals("/good.bin")).toList();
    // Four ranges on chunk boundaries, each asked of the bad mirror once: it is not tried again.
    assertThat(bad).extracting(Nginx.Entry::range).containsExactlyInAnyOrder(
        "bytes=0-4194303", "bytes=4194304-8388607", "bytes=8388608-12582911", "bytes=12582912-16777215");
    long badSent = RangedDownloadTest.sent(bad);
    System.out.printf("the bad mirror sent %d bytes of %d before it was dropped%n", badSent, SIZE);
    // It was dropped when the second range's first chunk (1 MiB) failed: with every connection
    // capped alike, the four ranges had about a chunk each by then; half the file bounds that.
    assertThat(badSent).isLessThan(SIZE / 2);
    // The good mirror resumed every range from a chunk boundary, the bad chunk's range from its start.
    assertThat(good).isNotEmpty().allSatisfy(e -> {
      assertThat(e.status()).isEqualTo(206);
      long from = Long.parseLong(e.range().substring("bytes=".length(), e.range().indexOf('-')));
      assertThat(from % MIB).as(e.range()).isZero();
    });
    assertThat(good).extracting(Nginx.Entry::range).contains("bytes=4194304-8388607");
    // Only whole chunks of the bad mirror were kept: the good one sent the rest of the file, no more.
    long kept = SIZE - RangedDownloadTest.sent(good);
    assertThat(kept % MIB).isZero();
    assertThat(kept).isLessThanOrEqualTo(badSent);
    assertThat(events.of(TransferEvent.Retrying.class)).singleElement().satisfies(r -> assertThat(r.reason())
        .contains("/slow/bad.bin sent chunk " + BAD_CHUNK + " (bytes 4194304-5242879) with sha256 ")
        .contains("but the manifest says " + file.chunks().orElseThrow().sha256().get(BAD_CHUNK).hex()));
  }

  @Test
  void theRangesOfAFileWithChunkDigestsStartOnChunkBoundaries() throws Exception {
    ModelFile file = new ModelFile(RelativePath.parse("weights/m.bin"), SIZE - 5,
        Digest.of(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(content, SIZE - 5))),
        List.of(new SourceUri(nginx.uri("/short.bin"))),
        Optional.of(new ChunkDigests(4 * MIB, chunkDigests(Arrays.copyOf(content, SIZE - 5), 4 * MIB))));
    Files.write(nginx.root().resolve("short.bin"), Arrays.copyOf(content, SIZE - 5));
    Downloader three = new Downloader(tmp.resolve("downloads"), RangedDownloadTest.SETTINGS.withMinRangeBytes(4 << 20).withConnections(3),
        InstantSource.system());

    Path result = three.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(Arrays.copyOf(content, SIZE - 5));
    // Four chunks over three connections: two, one and one chunk, the last one short.
    assertThat(nginx.awaitEntries(3, Duration.ofSeconds(5))).extracting(Nginx.Entry::range)
        .containsExactlyInAnyOrder("bytes=0-8388607", "bytes=8388608-12582911", "bytes=12582912-16777210");
  }
}
