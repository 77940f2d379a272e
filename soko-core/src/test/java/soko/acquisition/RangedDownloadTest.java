package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.acquisition.Files4Test.modelFile;
import static soko.acquisition.Files4Test.randomBytes;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.testkit.RequiredTool;
import soko.testkit.http.Fault;
import soko.testkit.http.FaultServer;
import soko.testkit.nginx.Nginx;
import soko.verification.Digest;

/**
 * Ranged downloads over several connections against Debian's nginx ({@code /slow/} caps each
 * connection with limit_rate), and the in-process fault server for what nginx cannot do on cue (a
 * weak ETag, a 503 with Retry-After to one range).
 */
class RangedDownloadTest {
  static final int SIZE = 8 << 20;
  static final DownloadSettings SETTINGS = DownloadSettings.DEFAULTS
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
      .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1))
      .withConnections(4)
      .withMinRangeBytes(2 << 20)
      .withBufferSize(64 * 1024);

  @TempDir Path tmp;
  Nginx nginx;
  byte[] content = randomBytes(SIZE, 7);
  Recorder events = new Recorder();
  Downloader downloader;

  @BeforeEach
  void start() throws IOException {
    RequiredTool.require(Nginx.unavailableReason());
    nginx = Nginx.start(tmp.resolve("nginx"));
    Files.write(nginx.root().resolve("m.bin"), content);
    // nginx's Last-Modified is then old enough to be a strong validator by RFC 9110's rule
    Files.setLastModifiedTime(nginx.root().resolve("m.bin"), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
    downloader = new Downloader(tmp.resolve("downloads"), SETTINGS, InstantSource.system());
  }

  @AfterEach
  void stop() throws IOException {
    Thread.interrupted();
    if (nginx != null) {
      nginx.close();
    }
    events.assertGrammar();
  }

  ModelFile at(String path) {
    return modelFile("weights/m.bin", content, nginx.uri(path));
  }

  static long sent(List<Nginx.Entry> log) {
    return log.stream().mapToLong(Nginx.Entry::bodyBytesSent).sum();
  }

  /** Fetches {@code file} and cancels (interrupts the listener's thread) once more than {@code bytes} arrived. */
  void cancelAfter(ModelFile file, long bytes) {
    assertThatThrownBy(() -> downloader.fetch(file, e -> {
      events.on(e);
      if (e instanceof TransferEvent.Progress p && p.bytesDone() > bytes) {
        Thread.currentThread().interrupt();
      }
    })).isInstanceOf(DownloadCancelledException.class);
  }

  @Test
  void fourConnectionsFromARateLimitedNginxGiveTheVerifiedBytes() throws Exception {
    ModelFile file = at("/slow/m.bin");

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    List<Nginx.Entry> log = nginx.awaitEntries(4, Duration.ofSeconds(5));
    assertThat(log).hasSize(4).allSatisfy(e -> assertThat(e.status()).isEqualTo(206));
    assertThat(log).extracting(Nginx.Entry::range).containsExactlyInAnyOrder(
        "bytes=0-2097151", "bytes=2097152-4194303", "bytes=4194304-6291455", "bytes=6291456-8388607");
    assertThat(sent(log)).isEqualTo(SIZE);
    assertThat(events.of(TransferEvent.Done.class)).singleElement()
        .isEqualTo(new TransferEvent.Done("weights/m.bin", file.sha256().toString(), SIZE, SIZE));
    assertThat(events.of(TransferEvent.Progress.class).getLast().bytesDone()).isEqualTo(SIZE);
    assertThat(Files.exists(tmp.resolve("downloads").resolve(file.sha256().hex() + ".json"))).isFalse();
  }

  @Test
  void aCancelledRangedDownloadResumesEachRangeWhereItStopped() throws Exception {
    ModelFile file = at("/slow/m.bin");
    cancelAfter(file, 3 << 20);
    PartialMetadata kept = PartialMetadata.read(tmp.resolve("downloads").resolve(file.sha256().hex() + ".json"))
        .orElseThrow();
    assertThat(kept.spans()).hasSize(4);
    assertThat(downloader.partialBytes(file)).isEqualTo(kept.written()).isGreaterThan(3L << 20);
    List<Nginx.Entry> first = nginx.awaitEntries(4, Duration.ofSeconds(10));

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    List<String> resumed = kept.spans().stream().filter(s -> !s.complete())
        .map(s -> "bytes=" + s.next() + "-" + s.to()).toList();
    List<Nginx.Entry> log = nginx.awaitEntries(first.size() + resumed.size(), Duration.ofSeconds(10));
    List<Nginx.Entry> second = log.subList(first.size(), log.size());
    assertThat(second).extracting(Nginx.Entry::range).containsExactlyInAnyOrderElementsOf(resumed);
    assertThat(second).allSatisfy(e -> {
      assertThat(e.status()).isEqualTo(206);
      assertThat(e.ifRange()).startsWith("\"");
    });
    assertThat(sent(second)).isEqualTo(SIZE - kept.written());
  }

  @Test
  void aCancelledRangedDownloadIsListedWithTheBytesItsRangesHoldNotItsSparseLength() throws Exception {
    ModelFile file = at("/slow/m.bin");
    cancelAfter(file, 2 << 20);
    Path partial = tmp.resolve("downloads").resolve(file.sha256().hex() + ".partial");
    PartialMetadata kept = PartialMetadata.read(tmp.resolve("downloads").resolve(file.sha256().hex() + ".json"))
        .orElseThrow();
    // The last range was written from 6 MiB on, so the file is longer than what it holds.
    assertThat(Files.size(partial)).isGreaterThan(kept.written());

    assertThat(downloader.partials()).singleElement().satisfies(p -> {
      assertThat(p.bytes()).isEqualTo(kept.written());
      assertThat(p.expectedSize()).hasValue(SIZE);
      assertThat(p.complete()).isFalse();
    });
  }

  @Test
  void sixteenConnectionsToOneHostRunAtMostEightAtOnce() throws Exception {
    int size = 32 << 20;
    byte[] big = randomBytes(size, 12);
    Files.write(nginx.root().resolve("big.bin"), big);
    Files.setLastModifiedTime(nginx.root().resolve("big.bin"), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
    Downloader sixteen = new Downloader(tmp.resolve("downloads"), SETTINGS.withConnections(16), InstantSource.system());

    Path result = sixteen.fetch(modelFile("weights/m.bin", big, nginx.uri("/slow/big.bin")), events);

    assertThat(Files.readAllBytes(result)).isEqualTo(big);
    List<Nginx.Entry> log = nginx.awaitEntries(16, Duration.ofSeconds(5));
    assertThat(log).hasSize(16).allSatisfy(e -> assertThat(e.status()).isEqualTo(206));
    List<Nginx.Served> served = nginx.served();
    int most = Nginx.mostAtOnce(served);
    System.out.println("16 ranges of 2 MiB: at most " + most + " served at once");
    // Each capped range takes about a second, so without the per-host limit all sixteen overlap.
    assertThat(most).isEqualTo(8);
  }

  @Test
  void moreRangesThanConnectionsAreTakenInFileOrderByAtMostThatManyAtOnce() throws Exception {
    int size = 32 << 20; // 16 ranges of 2 MiB over 4 connections
    byte[] big = randomBytes(size, 13);
    Files.write(nginx.root().resolve("big.bin"), big);
    Files.setLastModifiedTime(nginx.root().resolve("big.bin"), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));

    Path result = downloader.fetch(modelFile("weights/m.bin", big, nginx.uri("/slow/big.bin")), events);

    assertThat(Files.readAllBytes(result)).isEqualTo(big);
    List<Nginx.Entry> log = nginx.awaitEntries(16, Duration.ofSeconds(5));
    assertThat(log).hasSize(16).allSatisfy(e -> assertThat(e.status()).isEqualTo(206));
    assertThat(sent(log)).isEqualTo(size);
    List<Nginx.Served> served = nginx.served(); // line for line with the access log
    assertThat(served).hasSize(16);
    assertThat(Nginx.mostAtOnce(served)).isEqualTo(4);
    // Range k (in file order) is taken only when a connection is free: by then at least k - 3
    // ranges have ended. With every range started at once, range 15 would start before any ended.
    for (int i = 0; i < 16; i++) {
      String range = "bytes=" + (i * (2L << 20)) + "-" + ((i + 1) * (2L << 20) - 1);
      int at = log.stream().map(Nginx.Entry::range).toList().indexOf(range);
      assertThat(at).as(range).isNotNegative();
      long start = served.get(at).startMillis();
      long endedBefore = served.stream().filter(o -> o.endMillis() <= start).count();
      assertThat(endedBefore).as("ranges ended before %s started", range).isGreaterThanOrEqualTo(i - 3);
    }
  }

  @Test
  void aServerThatIgnoresRangesIsReadOverOneConnection() throws Exception {
    ModelFile file = at("/noranges/m.bin");

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    assertThat(nginx.awaitEntries(1, Duration.ofSeconds(5))).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.range()).isEqualTo("bytes=0-2097151"); // the first range was asked; the whole file came
      assertThat(e.bodyBytesSent()).isEqualTo(SIZE);
    });
    assertThat(events.of(TransferEvent.Done.class).getLast().bytesTransferred()).isEqualTo(SIZE);
  }

  @Test
  void aLastModifiedYoungerThanAMinuteIsWeakSoOneConnectionIsUsed() throws Exception {
    Files.setLastModifiedTime(nginx.root().resolve("m.bin"), FileTime.from(Instant.now()));
    ModelFile file = at("/noetag/m.bin");

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    List<Nginx.Entry> log = nginx.awaitEntries(2, Duration.ofSeconds(5));
    assertThat(log).hasSize(2);
    assertThat(log.get(0).range()).isEqualTo("bytes=0-2097151");
    assertThat(log.get(1).status()).isEqualTo(200);
    assertThat(log.get(1).range()).isEmpty();
    assertThat(log.get(1).bodyBytesSent()).isEqualTo(SIZE);
    assertThat(events.of(TransferEvent.Notice.class)).anySatisfy(n -> assertThat(n.message())
        .contains("serves ranges without a strong validator"));
  }

  @Test
  void anOldLastModifiedWithoutETagIsStrongEnoughForRanges() throws Exception {
    ModelFile file = at("/noetag/m.bin");

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    List<Nginx.Entry> log = nginx.awaitEntries(4, Duration.ofSeconds(5));
    assertThat(log).hasSize(4).allSatisfy(e -> assertThat(e.status()).isEqualTo(206));
    assertThat(log.stream().filter(e -> !e.range().startsWith("bytes=0-")))
        .allSatisfy(e -> assertThat(e.ifRange()).endsWith("GMT"));
  }

  @Test
  void aFileChangedOnTheMirrorBetweenRunsStartsAgainCleanly() throws Exception {
    ModelFile file = at("/slow/m.bin");
    cancelAfter(file, 2 << 20);
    int before = nginx.awaitEntries(4, Duration.ofSeconds(10)).size();
    // Same bytes, new mtime: nginx's ETag changes, so every range's If-Range is stale.
    Files.setLastModifiedTime(nginx.root().resolve("m.bin"), FileTime.from(Instant.parse("2025-05-06T07:08:09Z")));

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    List<Nginx.Entry> after = nginx.accessLog().subList(before, nginx.accessLog().size());
    assertThat(after).anySatisfy(e -> assertThat(e.status()).isEqualTo(200));
    assertThat(events.of(TransferEvent.Notice.class)).anySatisfy(n -> assertThat(n.message())
        .contains("starting the file again"));
    assertThat(events.of(TransferEvent.Started.class).getLast().resumedFrom()).isZero();
  }

  @Test
  void oneConnectionSettingKeepsOneStream() throws Exception {
    Downloader one = new Downloader(tmp.resolve("downloads"), SETTINGS.withConnections(1), InstantSource.system());

    Path result = one.fetch(at("/m.bin"), events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    assertThat(nginx.awaitEntries(1, Duration.ofSeconds(5))).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.range()).isEmpty();
    });
  }

  @Test
  void aWeakEtagMeansOneConnection() throws Exception {
    try (FaultServer server = FaultServer.start()) {
      server.serve("/w.bin", content).etag("W/\"weak\"");
      ModelFile file = modelFile("weights/m.bin", content, server.uri("/w.bin"));

      Path result = downloader.fetch(file, events);

      assertThat(Files.readAllBytes(result)).isEqualTo(content);
      List<FaultServer.Request> requests = server.requests("/w.bin");
      assertThat(requests).hasSize(2);
      assertThat(requests.get(0).header("range")).contains("bytes=0-2097151");
      assertThat(requests.get(1).header("range")).isEmpty();
    }
  }

  @Test
  void a503WithRetryAfterToARangeIsWaitedForAndTheRangesFinish() throws Exception {
    try (FaultServer server = FaultServer.start()) {
      // the first range is answered; the second request (another range) gets 503 with Retry-After: 1
      // (a "truncation" after a terabyte serves the first range whole)
      server.serve("/r.bin", content).then(new Fault.TruncateAfter(1L << 40)).then(new Fault.RetryAfter(503, "1"));
      ModelFile file = modelFile("weights/m.bin", content, server.uri("/r.bin"));

      Path result = downloader.fetch(file, events);

      assertThat(Files.readAllBytes(result)).isEqualTo(content);
      assertThat(events.of(TransferEvent.Retrying.class)).singleElement()
          .satisfies(r -> assertThat(r.delay()).isEqualTo(Duration.ofSeconds(1)));
      assertThat(events.of(TransferEvent.Done.class).getLast().bytesTransferred()).isLessThanOrEqualTo(SIZE);
    }
  }

  /** The child process of the kill -9 test: fetches the file and is killed while it does. */
  public static void main(String[] args) throws Exception {
    Path downloads = Path.of(args[0]);
    URI uri = URI.create(args[1]);
    long size = Long.parseLong(args[2]);
    Digest sha = Digest.parse(args[3]);
    ModelFile file = new ModelFile(soko.manifest.RelativePath.parse("weights/m.bin"), size, sha,
        List.of(soko.manifest.SourceUri.parse(uri.toString())));
    // Four ranges of 12 MiB, one per connection, so that none is complete at the kill.
    new Downloader(downloads, SETTINGS.withBufferSize(16 * 1024).withMinRangeBytes(12 << 20), InstantSource.system())
        .fetch(file, e -> {});
  }

  @Test
  void killedWithSigkillItResumesEachRangeAndNginxSendsAtMostAboutTheFileOnce() throws Exception {
    int size = 48 << 20;
    byte[] big = randomBytes(size, 8);
    Files.write(nginx.root().resolve("big.bin"), big);
    ModelFile file = modelFile("weights/m.bin", big, nginx.uri("/slow/big.bin"));
    Path downloads = tmp.resolve("downloads");
    Path record = downloads.resolve(file.sha256().hex() + ".json");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        RangedDownloadTest.class.getName(), downloads.toString(), nginx.uri("/slow/big.bin").toString(),
        Integer.toString(size), file.sha256().toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Optional<PartialMetadata> seen = Optional.empty();
    while (System.nanoTime() < deadline && child.isAlive()) {
      seen = PartialMetadata.read(record);
      if (seen.isPresent() && seen.get().written() > 12 << 20) {
        break;
      }
      Thread.sleep(20);
    }
    assertThat(child.isAlive()).as(Files.readString(tmp.resolve("child.log"))).isTrue();
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    PartialMetadata kept = PartialMetadata.read(record).orElseThrow();
    assertThat(kept.spans()).hasSize(4).noneMatch(PartialMetadata.Span::complete);
    List<Nginx.Entry> killed = nginx.awaitEntries(4, Duration.ofSeconds(30));

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(big);
    List<Nginx.Entry> log = nginx.awaitEntries(killed.size() + 4, Duration.ofSeconds(30));
    assertThat(log).hasSize(8);
    long total = sent(log);
    System.out.printf("kill -9 at %d of %d bytes written; nginx sent %d bytes in all: %.4f x the file%n",
        kept.written(), size, total, total / (double) size);
    // The resume asks each range only for what its record does not hold: exactly the rest of the file.
    assertThat(sent(log.subList(killed.size(), log.size()))).isEqualTo(size - kept.written());
    // What is lost to the kill is what the record had not caught up with (it is written every 20 ms)
    // and what nginx had handed to the kernel but the child never read: per connection, about one
    // socket buffer. 1 MiB per connection bounds both; a resume from zero would send twice the file.
    assertThat(total).isLessThanOrEqualTo(size + 4L * (1 << 20));
    assertThat(events.of(TransferEvent.Started.class).getLast().resumedFrom()).isEqualTo(kept.written());
  }
}
