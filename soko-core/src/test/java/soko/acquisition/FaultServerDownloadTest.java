package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.acquisition.Files4Test.modelFile;
import static soko.acquisition.Files4Test.randomBytes;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.testkit.http.Fault;
import soko.testkit.http.FaultServer;

class FaultServerDownloadTest {
  static final int SIZE = 512 * 1024;
  static final DownloadSettings FAST = DownloadSettings.DEFAULTS
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
      .withRetries(4, Duration.ofMillis(1), Duration.ofMillis(5))
      .withBufferSize(64 * 1024);

  @TempDir Path tmp;
  FaultServer server;
  byte[] content = randomBytes(SIZE, 42);
  Recorder events = new Recorder();

  @BeforeEach
  void start() throws IOException {
    server = FaultServer.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    events.assertGrammar();
    // Every fetch, finished, failed or cancelled, stops the thread that hashed its bytes.
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("soko-hash"))
        .filteredOn(Thread::isAlive).isEmpty();
  }

  Path downloads() {
    return tmp.resolve("downloads");
  }

  Downloader downloader(DownloadSettings settings) {
    return new Downloader(downloads(), settings, InstantSource.system());
  }

  ModelFile served(FaultServer.Route[] route) {
    route[0] = server.serve("/m.bin", content);
    return modelFile("weights/m.bin", content, server.uri("/m.bin"));
  }

  List<String> downloadsFolder() throws IOException {
    try (Stream<Path> s = Files.list(downloads())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  void assertVerified(Path result, ModelFile file) throws IOException {
    assertThat(result).isEqualTo(downloads().resolve(file.sha256().hex()));
    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    assertThat(downloadsFolder()).containsExactly(file.sha256().hex());
  }

  @Test
  void truncatedBodyResumesFromWhereItStoppedWithRangeAndIfRange() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.TruncateAfter(100_000));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    List<FaultServer.Request> reqs = server.requests("/m.bin");
    assertThat(reqs).hasSize(2);
    assertThat(reqs.get(1).header("range")).contains("bytes=100000-");
    assertThat(reqs.get(1).header("if-range")).contains("\"v1\"");
    assertThat(events.of(TransferEvent.Started.class)).extracting(TransferEvent.Started::resumedFrom)
        .containsExactly(0L, 100_000L);
    assertThat(events.of(TransferEvent.Done.class).getFirst().bytesTransferred()).isEqualTo(SIZE);
  }

  @Test
  void connectionResetMidBodyIsRetriedAndResumed() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.ResetAfter(200_000));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests("/m.bin").get(1).header("range")).isPresent();
    assertThat(events.of(TransferEvent.Retrying.class)).hasSize(1);
  }

  @Test
  void serverAnswering200ToARangeRestartsFromZero() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.TruncateAfter(100_000)).then(new Fault.IgnoreRange());

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests("/m.bin").get(1).header("range")).contains("bytes=100000-");
    assertThat(events.of(TransferEvent.Started.class)).extracting(TransferEvent.Started::resumedFrom)
        .containsExactly(0L, 0L);
    assertThat(events.of(TransferEvent.Done.class).getFirst().bytesTransferred()).isEqualTo(100_000L + SIZE);
  }

  @Test
  void a206WithAChangedEtagIsNotAppendedButRestartsFromZero() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    // A server that ignores If-Range answers the Range with 206 although its file changed.
    r[0].ifRangeSupport(false).then(new Fault.TruncateAfter(100_000)).then(new Fault.NewEtag("\"v2\""));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    List<FaultServer.Request> reqs = server.requests("/m.bin");
    assertThat(reqs).hasSize(3);
    assertThat(reqs.get(1).header("if-range")).contains("\"v1\"");
    assertThat(reqs.get(2).header("range")).isEmpty();
    assertThat(events.of(TransferEvent.Started.class)).extracting(TransferEvent.Started::resumedFrom)
        .containsExactly(0L, 0L);
  }

  @Test
  void wrongContentLengthFailsAtOnceWithoutRetrying() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.WrongContentLength(10));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(ContentMismatchException.class, e -> {
          assertThat(e.kind()).isEqualTo(ContentMismatchException.Kind.ANNOUNCED_LENGTH);
          assertThat(e.isRetryWorthy()).isFalse();
        })
        .hasMessage("weights/m.bin: " + server.uri("/m.bin") + " announced 524298 bytes, but the manifest says 524288;"
            + " the bytes were discarded; this source serves a different file than the manifest names,"
            + " so use another source or fix the manifest");
    assertThat(server.requests("/m.bin")).hasSize(1);
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void extraBytesAfterTheDeclaredLengthAreNeverWritten() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.ExtraBytes(4096));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
  }

  @Test
  void endlessBodyIsCappedAtTheManifestSizeAndDiscarded() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.Endless());

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(ContentMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(ContentMismatchException.Kind.TOO_LONG))
        .hasMessageStartingWith("weights/m.bin: " + server.uri("/m.bin")
            + " sent more than the 524288 bytes the manifest declares; the bytes were discarded");
    assertThat(downloadsFolder()).isEmpty();
    assertThat(server.requests("/m.bin")).hasSize(1);
  }

  @Test
  void stalledBodyTimesOutAndTheRetryResumes() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.StallAfter(100_000, Duration.ofSeconds(30)));
    DownloadSettings stall = FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(300));

    Path result = downloader(stall).fetch(file, events);

    assertVerified(result, file);
    assertThat(events.of(TransferEvent.Retrying.class)).singleElement()
        .extracting(TransferEvent.Retrying::reason).asString()
        .isEqualTo("downloading " + server.uri("/m.bin") + ": no data for 0.3 s after 100000 of 524288 bytes");
    assertThat(server.requests("/m.bin").get(1).header("range")).contains("bytes=100000-");
  }

  @Test
  void stallOnEveryAttemptEndsWithAStalledError() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(2, new Fault.StallAfter(0, Duration.ofSeconds(30)));
    DownloadSettings stall = FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(200))
        .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1));

    assertThatThrownBy(() -> downloader(stall).fetch(file, events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.reason()).isEqualTo(TransferException.Reason.STALLED);
          assertThat(e.isRetryWorthy()).isTrue();
        });
    assertThat(server.requests("/m.bin")).hasSize(2);
  }

  @Test
  void burstOf503IsRetriedWithBackoffThenSucceeds() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(3, new Fault.Status(503));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests("/m.bin")).hasSize(4);
    assertThat(events.of(TransferEvent.Retrying.class)).extracting(TransferEvent.Retrying::delay)
        .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
  }

  @Test
  void a429WithRetryAfterWaitsAsLongAsTheServerAsksThenSucceeds() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.RetryAfter(429, "1"));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests("/m.bin")).hasSize(2);
    // FAST's own backoff is 1 ms: the 1 s is the server's.
    assertThat(events.of(TransferEvent.Retrying.class)).extracting(TransferEvent.Retrying::delay)
        .containsExactly(Duration.ofSeconds(1));
    assertThat(events.of(TransferEvent.Retrying.class).getFirst().reason()).contains("asks to wait 1 s");
  }

  @Test
  void aRetryAfterLongerThanAMinuteIsNotWaitedForAndTheErrorSaysWhenToTryAgain() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.RetryAfter(503, "3600"));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.status()).hasValue(503);
          assertThat(e.retryAfter()).contains(Duration.ofHours(1));
          assertThat(e.isRetryWorthy()).isTrue();
        })
        .hasMessageContaining("asks to wait 3600 s")
        .hasMessageContaining("try again after 20")
        .hasMessageContaining("Soko waits at most 60 s by itself");
    assertThat(server.requests("/m.bin")).as("one request, no retry an hour early").hasSize(1);
  }

  @Test
  void aMalformedOrPastRetryAfterFallsBackToTheUsualBackoff() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.RetryAfter(429, "soon")).then(new Fault.RetryAfter(503, "-5"))
        .then(new Fault.RetryAfter(429, "Sun, 06 Nov 1994 08:49:37 GMT"));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(events.of(TransferEvent.Retrying.class)).extracting(TransferEvent.Retrying::delay)
        .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    java.time.Instant now = java.time.Instant.parse("2026-11-29T03:00:00Z");
    assertThat(FileJob.retryAfter("120", now)).contains(Duration.ofSeconds(120));
    assertThat(FileJob.retryAfter(" 0 ", now)).contains(Duration.ZERO);
    assertThat(FileJob.retryAfter("Sun, 29 Nov 2026 03:01:30 GMT", now)).contains(Duration.ofSeconds(90));
    assertThat(FileJob.retryAfter("Sun, 29 Nov 2026 02:00:00 GMT", now)).contains(Duration.ZERO);
    // The two obsolete forms a recipient must also accept (RFC 9110, 5.6.7).
    assertThat(FileJob.retryAfter("Sunday, 29-Nov-26 03:01:30 GMT", now)).contains(Duration.ofSeconds(90));
    assertThat(FileJob.retryAfter("Sun Nov 29 03:01:30 2026", now)).contains(Duration.ofSeconds(90));
    assertThat(FileJob.retryAfter("Sun Nov  1 03:00:00 2026", now)).contains(Duration.ZERO);
    assertThat(FileJob.retryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now)).as("1994, not 2094").contains(Duration.ZERO);
    // More seconds than fit: still a wait, and a long one (so the source is left for now).
    assertThat(FileJob.retryAfter("99999999999999999999", now)).contains(Duration.ofSeconds(999_999_999));
    assertThat(FileJob.retryAfter("0000000120", now)).contains(Duration.ofSeconds(999_999_999));
    for (String bad : new String[] {null, "", "-1", "1.5", "tomorrow", "120 s", "Sun, 29 Nov 2026 03:01:30 CET"}) {
      assertThat(FileJob.retryAfter(bad, now)).as(String.valueOf(bad)).isEmpty();
    }
  }

  @Test
  void notFoundIsNotRetriedOnTheSameSource() throws Exception {
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/missing.bin"));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.status()).hasValue(404);
          assertThat(e.isRetryWorthy()).isFalse();
        })
        .hasMessage("weights/m.bin: downloading " + server.uri("/missing.bin") + ": the server answered 404 Not Found;"
            + " the file is not at this URL; fix the manifest or use another source");
    assertThat(server.requests()).hasSize(1);
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void failsOverToTheSecondSource() throws Exception {
    server.serve("/m.bin", content);
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/gone.bin"), server.uri("/m.bin"));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests()).extracting(FaultServer.Request::path).containsExactly("/gone.bin", "/m.bin");
  }

  @Test
  void whenEverySourceFailsTheErrorListsEach() throws Exception {
    FaultServer.Route route = server.serve("/bad.bin", content).then(new Fault.Corrupt());
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/gone.bin"), server.uri("/bad.bin"));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(SourcesExhaustedException.class, e -> {
          assertThat(e.failures()).hasSize(2);
          assertThat(e.isRetryWorthy()).isFalse();
        })
        .hasMessageStartingWith("weights/m.bin: all 2 sources failed: downloading " + server.uri("/gone.bin")
            + ": the server answered 404 Not Found; then " + server.uri("/bad.bin") + " sent 524288 bytes with sha256 ")
        .hasMessageEndingWith("; fix the manifest's sources");
    assertThat(route).isNotNull();
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void rightSizeWrongContentIsDiscardedAndNotRetriedOnTheSameSource() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.Corrupt());

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(ContentMismatchException.class, e -> {
          assertThat(e.kind()).isEqualTo(ContentMismatchException.Kind.DIGEST);
          assertThat(e.getCause()).isInstanceOf(soko.verification.IntegrityException.class);
        });
    assertThat(server.requests("/m.bin")).hasSize(1);
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void redirectLoopStopsAfterTenHops() throws Exception {
    server.redirect("/a", 302, server.uri("/b"));
    server.redirect("/b", 302, server.uri("/a"));
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/a"));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(TransferException.class,
            e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.TOO_MANY_REDIRECTS));
    assertThat(server.requests()).hasSize(Downloader.MAX_REDIRECTS + 1);
  }

  @Test
  void redirectToAnotherPortIsFollowedAndCarriesNoAuthorization() throws Exception {
    try (FaultServer other = FaultServer.start()) {
      other.serve("/m.bin", content);
      server.redirect("/m.bin", 307, other.uri("/m.bin"));
      ModelFile file = modelFile("weights/m.bin", content, server.uri("/m.bin"));

      Path result = downloader(FAST).fetch(file, events);

      assertVerified(result, file);
      assertThat(other.requests()).singleElement().satisfies(req -> assertThat(req.header("authorization")).isEmpty());
      assertThat(events.of(TransferEvent.Started.class).getFirst().host()).isEqualTo("127.0.0.1:" + other.port());
    }
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheDownload() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);

    Path result = downloader(FAST).fetch(file, event -> {
      events.on(event);
      throw new IllegalStateException("broken display");
    });

    assertVerified(result, file);
    assertThat(events.of(TransferEvent.Done.class)).hasSize(1);
  }

  @Test
  void notEnoughDiskSpaceFailsBeforeAnyRequestWithTheNumbers() throws Exception {
    ModelFile huge = modelFile("weights/huge.bin", ModelFile.MAX_SIZE, content, List.of(server.uri("/m.bin")));

    assertThatThrownBy(() -> downloader(FAST).fetch(huge, events))
        .isInstanceOfSatisfying(InsufficientSpaceException.class,
            e -> assertThat(e.needed()).isEqualTo(ModelFile.MAX_SIZE))
        .hasMessageMatching("weights/huge\\.bin: not enough free space in .*downloads: 1\\.0 TiB \\(1099511627776 bytes\\)"
            + " more are needed, .* are free; free some space or move the cache folder to a larger disk");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void partialBytesReportsTheResumablePrefixAndRemovePartialsDeletesIt() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.TruncateAfter(100_000));
    Downloader d = downloader(FAST.withRetries(1, Duration.ZERO, Duration.ZERO));
    assertThatThrownBy(() -> d.fetch(file, events)).isInstanceOf(TransferException.class);
    Files.writeString(downloads().resolve("notes.txt"), "not Soko's");

    assertThat(d.partialBytes(file)).isEqualTo(100_000);
    assertThat(d.partials()).singleElement().satisfies(p -> {
      assertThat(p.sha256()).isEqualTo(file.sha256());
      assertThat(p.bytes()).isEqualTo(100_000);
      assertThat(p.expectedSize()).hasValue(SIZE);
      assertThat(p.url()).contains(server.uri("/m.bin"));
      assertThat(p.complete()).isFalse();
    });
    assertThat(d.removePartials()).hasSize(1);
    assertThat(downloadsFolder()).containsExactly("notes.txt");
    assertThat(d.partialBytes(file)).isZero();
  }

  @Test
  void bytesPastTheLastCheckpointAreKeptAfterAKilledProcess() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    Files.createDirectories(downloads());
    // kill -9 after writing 300000 good bytes of which only 100000 were checkpointed.
    Files.write(downloads().resolve(file.sha256().hex() + ".partial"), java.util.Arrays.copyOf(content, 300_000));
    new PartialMetadata(file.sha256(), SIZE, server.uri("/m.bin"), Optional.of("\"v1\""), Optional.empty(), 100_000)
        .write(downloads().resolve(file.sha256().hex() + ".json"), downloads().resolve(file.sha256().hex() + ".json.tmp"));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests("/m.bin")).singleElement()
        .satisfies(req -> assertThat(req.header("range")).contains("bytes=300000-"));
  }

  @Test
  void aWrongTailPastTheLastCheckpointIsFetchedAgainFromTheCheckpoint() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    Files.createDirectories(downloads());
    // A crash after writing 300000 bytes of which only 100000 were recorded as fsynced.
    byte[] partial = content.clone();
    partial[150_000] ^= 1;
    Files.write(downloads().resolve(file.sha256().hex() + ".partial"), java.util.Arrays.copyOf(partial, 300_000));
    new PartialMetadata(file.sha256(), SIZE, server.uri("/m.bin"), Optional.of("\"v1\""), Optional.empty(), 100_000)
        .write(downloads().resolve(file.sha256().hex() + ".json"), downloads().resolve(file.sha256().hex() + ".json.tmp"));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests("/m.bin")).hasSize(2);
    assertThat(server.requests("/m.bin").get(0).header("range")).contains("bytes=300000-");
    assertThat(server.requests("/m.bin").get(1).header("range")).contains("bytes=100000-");
    assertThat(events.letters("weights/m.bin")).startsWith("VS");
  }

  @Test
  void fetchAllReturnsEveryVerifiedFileInOrderAndFetchesADuplicateOnce() throws Exception {
    byte[] other = randomBytes(100_000, 7);
    server.serve("/a.bin", content);
    server.serve("/b.bin", other);
    ModelFile a = modelFile("a.bin", content, server.uri("/a.bin"));
    ModelFile b = modelFile("b.bin", other, server.uri("/b.bin"));
    ModelFile aAgain = modelFile("copy/a.bin", content, server.uri("/a.bin"));

    List<Path> result = downloader(FAST.withParallelism(2)).fetchAll(List.of(b, a, aAgain), events);

    assertThat(result).containsExactly(downloads().resolve(b.sha256().hex()), downloads().resolve(a.sha256().hex()),
        downloads().resolve(a.sha256().hex()));
    assertThat(Files.readAllBytes(result.get(0))).isEqualTo(other);
    assertThat(Files.readAllBytes(result.get(1))).isEqualTo(content);
    assertThat(server.requests("/a.bin")).hasSize(1);
  }

  @Test
  void verifiedFileLeftFromAnEarlierRunIsReturnedWithoutARequest() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    downloader(FAST).fetch(file, events);
    events.events.clear();

    Path again = downloader(FAST).fetch(file, events);

    assertVerified(again, file);
    assertThat(server.requests("/m.bin")).hasSize(1);
    assertThat(events.letters("weights/m.bin")).isEqualTo("VD");
  }

  @Test
  void redirectTargetOutsideHttpIsRefused() {
    URI ftp = URI.create("ftp://127.0.0.1/m.bin");
    server.redirect("/m.bin", 302, ftp);
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/m.bin"));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(TransferException.class,
            e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.INSECURE_REDIRECT))
        .hasMessageContaining("redirected to ftp://127.0.0.1/m.bin, which is not http or https");
  }

  @Test
  void interruptCancelsAFetchBlockedOnASilentServerWithoutWaitingForTheStallTimeout() throws Exception {
    FaultServer.Route[] r = new FaultServer.Route[1];
    ModelFile file = served(r);
    r[0].then(new Fault.StallAfter(100_000, Duration.ofMinutes(5)));
    DownloadSettings patient = FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(5));
    java.util.concurrent.CountDownLatch firstBytes = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        downloader(patient).fetch(file, e -> {
          events.on(e);
          if (e instanceof TransferEvent.Progress) {
            firstBytes.countDown();
          }
        });
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    firstBytes.await();

    caller.interrupt();
    caller.join(Duration.ofMinutes(1));

    assertThat(caller.isAlive()).as("cancelled while the server is silent for 5 minutes").isFalse();
    assertThat(thrown.get()).isInstanceOf(DownloadCancelledException.class);
    assertThat(downloader(patient).partialBytes(file)).isEqualTo(((DownloadCancelledException) thrown.get()).bytesKept());
  }
}
