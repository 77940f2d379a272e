package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.acquisition.Files4Test.randomBytes;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.testkit.http.Fault;
import soko.testkit.http.FaultServer;
import soko.verification.Hashing;

/**
 * What every {@link Transport} must pass, through the one {@link Downloader}, against a server
 * that misbehaves on cue ({@link FaultServer}): truncation, resets, a 200 to a range, a changed
 * validator, wrong and extra lengths, endless bodies, stalls, crawling bodies, late heads, replies
 * that are not HTTP, bursts of 5xx with Retry-After, redirect loops, redirects to another host
 * without credentials, wrong content, failover, disk space and cancellation. A subclass says how
 * its kind of source is addressed and served: {@link HttpTransportContractTest} (mirrors) and
 * {@link RegistryTransportContractTest} (registry blobs).
 */
abstract class TransportContractTest {
  static final int SIZE = 512 * 1024;
  static final DownloadSettings FAST = DownloadSettings.DEFAULTS
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
      .withRetries(4, Duration.ofMillis(1), Duration.ofMillis(5))
      .withBufferSize(64 * 1024);

  @TempDir Path tmp;
  FaultServer server;
  byte[] content = randomBytes(SIZE, 42);
  Recorder events = new Recorder();

  /** The transports of a downloader for this kind of source, talking to {@link #server}. */
  abstract Map<SourceUri.Kind, Transport> transports(DownloadSettings settings);

  /** The server path that serves {@code bytes} under {@code name} (a lower-case word). */
  abstract String route(String name, byte[] bytes);

  /** The source a manifest names for it. */
  abstract URI source(String name, byte[] bytes);

  /** True when resuming sends the saved validator in If-Range (URLs); false for content-addressed blobs. */
  abstract boolean sendsValidators();

  /** The fix a 404 gets from this transport. */
  abstract String notFoundAdvice();

  /** Makes the route ask for credentials first, as a registry does; the request after carries them. */
  abstract void demandCredentials(FaultServer.Route route);

  /** The Authorization the server sees once credentials are asked for, if this transport sends any. */
  abstract Optional<String> authorization();

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
    return new Downloader(downloads(), settings, InstantSource.system(), transports(settings));
  }

  ModelFile file(String path, byte[] bytes, URI... sources) {
    return new ModelFile(RelativePath.parse(path), bytes.length, Hashing.sha256(bytes),
        Stream.of(sources).map(SourceUri::new).toList());
  }

  /** Serves {@link #content} as "m" and returns the route and the file naming it. */
  FaultServer.Route serveM() {
    return server.serve(route("m", content), content);
  }

  ModelFile m() {
    return file("weights/m.bin", content, source("m", content));
  }

  List<FaultServer.Request> requestsM() {
    return server.requests(route("m", content));
  }

  List<String> downloadsFolder() throws IOException {
    try (Stream<Path> s = Files.list(downloads())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
    }
  }

  void assertVerified(Path result, ModelFile file) throws IOException {
    assertThat(result).isEqualTo(downloads().resolve(file.sha256().hex()));
    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    assertThat(downloadsFolder()).containsExactly(file.sha256().hex());
  }

  @Test
  void aTruncatedBodyResumesFromWhereItStopped() throws Exception {
    serveM().then(new Fault.TruncateAfter(100_000));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    List<FaultServer.Request> reqs = requestsM();
    assertThat(reqs).hasSize(2);
    assertThat(reqs.get(1).header("range")).contains("bytes=100000-");
    assertThat(reqs.get(1).header("if-range")).isEqualTo(sendsValidators() ? Optional.of("\"v1\"") : Optional.empty());
    assertThat(events.of(TransferEvent.Started.class)).extracting(TransferEvent.Started::resumedFrom)
        .containsExactly(0L, 100_000L);
    assertThat(events.of(TransferEvent.Done.class).getFirst().bytesTransferred()).isEqualTo(SIZE);
  }

  @Test
  void everyRequestCarriesSokosUserAgent() throws Exception {
    serveM().then(new Fault.TruncateAfter(100_000));

    downloader(FAST).fetch(m(), events);

    assertThat(requestsM()).hasSize(2).allSatisfy(r -> assertThat(r.header("user-agent"))
        .contains(HttpSettings.DEFAULT_USER_AGENT).hasValueSatisfying(v -> assertThat(v).startsWith("soko/")));
  }

  @Test
  void aConnectionResetMidBodyIsRetriedAndResumed() throws Exception {
    serveM().then(new Fault.ResetAfter(200_000));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    assertThat(requestsM().get(1).header("range")).isPresent();
    assertThat(events.of(TransferEvent.Retrying.class)).hasSize(1);
  }

  @Test
  void aServerAnswering200ToARangeRestartsFromZero() throws Exception {
    serveM().then(new Fault.TruncateAfter(100_000)).then(new Fault.IgnoreRange());

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    assertThat(requestsM().get(1).header("range")).contains("bytes=100000-");
    assertThat(events.of(TransferEvent.Started.class)).extracting(TransferEvent.Started::resumedFrom)
        .containsExactly(0L, 0L);
    assertThat(events.of(TransferEvent.Done.class).getFirst().bytesTransferred()).isEqualTo(100_000L + SIZE);
  }

  @Test
  void a206WithAChangedValidatorIsAppendedOnlyWhereTheAddressFixesTheContent() throws Exception {
    // A server that ignores If-Range answers the Range with 206 although its ETag changed.
    serveM().ifRangeSupport(false).then(new Fault.TruncateAfter(100_000)).then(new Fault.NewEtag("\"v2\""));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    List<FaultServer.Request> reqs = requestsM();
    if (sendsValidators()) {
      // A URL's content may have changed: never append, start over.
      assertThat(reqs).hasSize(3);
      assertThat(reqs.get(1).header("if-range")).contains("\"v1\"");
      assertThat(reqs.get(2).header("range")).isEmpty();
      assertThat(events.of(TransferEvent.Started.class)).extracting(TransferEvent.Started::resumedFrom)
          .containsExactly(0L, 0L);
    } else {
      // A blob's digest is its validator: the ETag says nothing, the final sha256 decides.
      assertThat(reqs).hasSize(2);
      assertThat(events.of(TransferEvent.Started.class)).extracting(TransferEvent.Started::resumedFrom)
          .containsExactly(0L, 100_000L);
    }
  }

  @Test
  void aWrongContentLengthFailsAtOnceWithoutRetrying() throws Exception {
    serveM().then(new Fault.WrongContentLength(10));

    assertThatThrownBy(() -> downloader(FAST).fetch(m(), events))
        .isInstanceOfSatisfying(ContentMismatchException.class, e -> {
          assertThat(e.kind()).isEqualTo(ContentMismatchException.Kind.ANNOUNCED_LENGTH);
          assertThat(e.isRetryWorthy()).isFalse();
          assertThat(e.wrongBytes()).isTrue();
        })
        .hasMessage("weights/m.bin: " + source("m", content) + " announced 524298 bytes, but the manifest says 524288;"
            + " the bytes were discarded; this source serves a different file than the manifest names,"
            + " so use another source or fix the manifest");
    assertThat(requestsM()).hasSize(1);
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void extraBytesAfterTheDeclaredLengthAreNeverWritten() throws Exception {
    serveM().then(new Fault.ExtraBytes(4096));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
  }

  @Test
  void anEndlessBodyIsCappedAtTheManifestSizeAndDiscarded() throws Exception {
    serveM().then(new Fault.Endless());

    assertThatThrownBy(() -> downloader(FAST).fetch(m(), events))
        .isInstanceOfSatisfying(ContentMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(ContentMismatchException.Kind.TOO_LONG))
        .hasMessageStartingWith("weights/m.bin: " + source("m", content)
            + " sent more than the 524288 bytes the manifest declares; the bytes were discarded");
    assertThat(downloadsFolder()).isEmpty();
    assertThat(requestsM()).hasSize(1);
  }

  @Test
  void aStalledBodyTimesOutAndTheRetryResumes() throws Exception {
    serveM().then(new Fault.StallAfter(100_000, Duration.ofSeconds(30)));
    DownloadSettings stall = FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(300));

    Path result = downloader(stall).fetch(m(), events);

    assertVerified(result, m());
    assertThat(events.of(TransferEvent.Retrying.class)).singleElement()
        .extracting(TransferEvent.Retrying::reason).asString()
        .isEqualTo("downloading " + source("m", content) + ": no data for 0.3 s after 100000 of 524288 bytes");
    assertThat(requestsM().get(1).header("range")).contains("bytes=100000-");
  }

  @Test
  void aStallOnEveryAttemptEndsWithAStalledErrorThatSaysWhatIsKept() throws Exception {
    serveM().then(2, new Fault.StallAfter(100_000, Duration.ofSeconds(30)));
    DownloadSettings stall = FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(200))
        .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1));

    assertThatThrownBy(() -> downloader(stall).fetch(m(), events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.kind()).isEqualTo(TransferException.Reason.STALLED);
          assertThat(e.isRetryWorthy()).isTrue();
          assertThat(e.wrongBytes()).isFalse();
        })
        .hasMessage("weights/m.bin: downloading " + source("m", content) + ": no data for 0.2 s after 200000 of 524288"
            + " bytes; the 200000 bytes received are kept; run the same command again to resume from there")
        .message().doesNotContain("next attempt");
    assertThat(requestsM()).hasSize(2);
  }

  @Test
  void aBodyThatCrawlsUnderTheMinimumRateFailsWithWhatItSent() throws Exception {
    // 100,000 bytes at once, then 10 bytes every 100 ms: 50 bytes per half second, under 1 KiB/s.
    serveM().then(new Fault.Trickle(100_000, 10, Duration.ofMillis(100)));
    DownloadSettings slow = FAST.withMinimumRate(1024, Duration.ofMillis(500)).withRetries(1, Duration.ZERO, Duration.ZERO);

    assertThatThrownBy(() -> downloader(slow).fetch(m(), events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.kind()).isEqualTo(TransferException.Reason.TOO_SLOW);
          assertThat(e.isRetryWorthy()).isTrue();
        })
        .hasMessageMatching("weights/m\\.bin: downloading \\Q" + source("m", content) + "\\E: the server sent \\d{1,3} bytes in"
            + " \\d+(\\.\\d)? s after \\d+ of 524288 bytes, less than the minimum of 1024 bytes/s; the \\d+ bytes received are"
            + " kept; run the same command again to resume from there");
  }

  @Test
  void aResponseHeadThatTricklesPastItsDeadlineFails() throws Exception {
    serveM().then(new Fault.SlowHead(Duration.ofMillis(20)));
    DownloadSettings late = FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(5))
        .withRetries(1, Duration.ZERO, Duration.ZERO);

    assertThatThrownBy(() -> downloader(late).fetch(m(), events))
        .isInstanceOfSatisfying(TransferException.class,
            e -> assertThat(e.kind()).isEqualTo(TransferException.Reason.TIMED_OUT))
        .hasMessageContaining("the status line and headers were not complete within ")
        .hasMessageContaining(" of the request; check the network connection");
  }

  @Test
  void aReplyThatIsNotHttpIsReportedWithWhatItSaid() throws Exception {
    serveM().then(new Fault.NotHttp("SSH-2.0-OpenSSH_9.6\r\n"));
    DownloadSettings once = FAST.withRetries(1, Duration.ZERO, Duration.ZERO);

    assertThatThrownBy(() -> downloader(once).fetch(m(), events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.kind()).isEqualTo(TransferException.Reason.BAD_RESPONSE);
          assertThat(e.isRetryWorthy()).isFalse();
        })
        .hasMessage("weights/m.bin: downloading " + source("m", content) + ": 127.0.0.1:" + server.port()
            + " did not answer in HTTP (its reply began \"SSH-2.0-OpenSSH_9.6\"); this is not a working HTTP server;"
            + " use another source")
        .message().doesNotContain("unknown");
  }

  @Test
  void bytesWithNoLineEndThatCannotBeginHttpAreReportedAsNotHttpNotAsANetworkFault() throws Exception {
    serveM().then(new Fault.NotHttp("\u0000\u0001\u0002\u0003\u001b[2J"));
    DownloadSettings once = FAST.withRetries(1, Duration.ZERO, Duration.ZERO);

    assertThatThrownBy(() -> downloader(once).fetch(m(), events))
        .isInstanceOfSatisfying(TransferException.class,
            e -> assertThat(e.kind()).isEqualTo(TransferException.Reason.BAD_RESPONSE))
        .hasMessageContaining(" did not answer in HTTP (its reply began \"")
        .hasMessageContaining("this is not a working HTTP server")
        .message().doesNotContain("\u001b").doesNotContain("network connection");
  }

  @Test
  void aBurstOf503IsRetriedWithBackoffThenSucceeds() throws Exception {
    serveM().then(3, new Fault.Status(503));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    assertThat(requestsM()).hasSize(4);
    assertThat(events.of(TransferEvent.Retrying.class)).extracting(TransferEvent.Retrying::delay)
        .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
  }

  @Test
  void a429WithRetryAfterWaitsAsLongAsTheServerAsksThenSucceeds() throws Exception {
    serveM().then(new Fault.RetryAfter(429, "1"));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    assertThat(requestsM()).hasSize(2);
    // FAST's own backoff is 1 ms: the 1 s is the server's.
    assertThat(events.of(TransferEvent.Retrying.class)).extracting(TransferEvent.Retrying::delay)
        .containsExactly(Duration.ofSeconds(1));
    assertThat(events.of(TransferEvent.Retrying.class).getFirst().reason()).contains("asks to wait 1 s");
  }

  @Test
  void aRetryAfterLongerThanAMinuteIsNotWaitedForAndTheErrorSaysWhenToTryAgain() throws Exception {
    serveM().then(new Fault.RetryAfter(503, "3600"));

    assertThatThrownBy(() -> downloader(FAST).fetch(m(), events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.status()).hasValue(503);
          assertThat(e.retryAfter()).contains(Duration.ofHours(1));
          assertThat(e.isRetryWorthy()).isTrue();
        })
        .hasMessageContaining("asks to wait 3600 s")
        .hasMessageContaining("try again after 20")
        .hasMessageContaining("Soko waits at most 60 s by itself");
    assertThat(requestsM()).as("one request, no retry an hour early").hasSize(1);
  }

  @Test
  void aMalformedOrPastRetryAfterFallsBackToTheUsualBackoff() throws Exception {
    serveM().then(new Fault.RetryAfter(429, "soon")).then(new Fault.RetryAfter(503, "-5"))
        .then(new Fault.RetryAfter(429, "Sun, 06 Nov 1994 08:49:37 GMT"));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    assertThat(events.of(TransferEvent.Retrying.class)).extracting(TransferEvent.Retrying::delay)
        .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
  }

  @Test
  void notFoundIsNotRetriedOnTheSameSource() throws Exception {
    ModelFile file = file("weights/m.bin", content, source("missing", content));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(TransferException.class, e -> {
          assertThat(e.status()).hasValue(404);
          assertThat(e.isRetryWorthy()).isFalse();
        })
        .hasMessage("weights/m.bin: downloading " + source("missing", content) + ": the server answered 404 Not Found; "
            + notFoundAdvice());
    assertThat(server.requests()).hasSize(1);
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void failsOverToTheSecondSource() throws Exception {
    serveM();
    ModelFile file = file("weights/m.bin", content, source("gone", content), source("m", content));

    Path result = downloader(FAST).fetch(file, events);

    assertVerified(result, file);
    assertThat(server.requests()).extracting(FaultServer.Request::path)
        .containsExactly(route("gone", content), route("m", content));
  }

  @Test
  void whenEverySourceFailsTheErrorListsEach() throws Exception {
    server.serve(route("bad", content), content).then(new Fault.Corrupt());
    ModelFile file = file("weights/m.bin", content, source("gone", content), source("bad", content));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(SourcesExhaustedException.class, e -> {
          assertThat(e.failures()).hasSize(2);
          assertThat(e.isRetryWorthy()).isFalse();
          assertThat(e.wrongBytes()).as("one source was only missing").isFalse();
        })
        .hasMessageStartingWith("weights/m.bin: all 2 sources failed: downloading " + source("gone", content)
            + ": the server answered 404 Not Found; then " + source("bad", content) + " sent 524288 bytes with sha256 ")
        .hasMessageEndingWith("; fix the manifest's sources");
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void whenEverySourceSendsWrongBytesTheFailureIsAnIntegrityFailure() throws Exception {
    server.serve(route("bad", content), content).then(new Fault.Corrupt());
    server.serve(route("long", content), content).then(new Fault.WrongContentLength(1));
    ModelFile file = file("weights/m.bin", content, source("bad", content), source("long", content));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(SourcesExhaustedException.class, e -> assertThat(e.wrongBytes()).isTrue());
  }

  @Test
  void rightSizeWrongContentIsDiscardedAndNotRetriedOnTheSameSource() throws Exception {
    serveM().then(new Fault.Corrupt());

    assertThatThrownBy(() -> downloader(FAST).fetch(m(), events))
        .isInstanceOfSatisfying(ContentMismatchException.class, e -> {
          assertThat(e.kind()).isEqualTo(ContentMismatchException.Kind.DIGEST);
          assertThat(e.getCause()).isInstanceOf(soko.verification.IntegrityException.class);
          assertThat(e.wrongBytes()).isTrue();
        });
    assertThat(requestsM()).hasSize(1);
    assertThat(downloadsFolder()).isEmpty();
  }

  @Test
  void aRedirectLoopStopsAfterTenHops() throws Exception {
    server.redirect(route("a", content), 302, server.uri(route("b", content)));
    server.redirect(route("b", content), 302, server.uri(route("a", content)));
    ModelFile file = file("weights/m.bin", content, source("a", content));

    assertThatThrownBy(() -> downloader(FAST).fetch(file, events))
        .isInstanceOfSatisfying(TransferException.class,
            e -> assertThat(e.kind()).isEqualTo(TransferException.Reason.TOO_MANY_REDIRECTS));
    assertThat(server.requests()).hasSize(Downloader.MAX_REDIRECTS + 1);
  }

  @Test
  void aRedirectToAnotherHostIsFollowedWithTheRangeButNoAuthorization() throws Exception {
    try (FaultServer other = FaultServer.start()) {
      other.serve("/storage/m.bin", content);
      FaultServer.Route route = serveM().then(new Fault.TruncateAfter(100_000));
      demandCredentials(route);
      route.then(new Fault.Redirect(307, other.uri("/storage/m.bin")));

      Path result = downloader(FAST).fetch(m(), events);

      assertVerified(result, m());
      assertThat(requestsM().getLast().header("authorization")).isEqualTo(authorization());
      assertThat(other.requests()).singleElement().satisfies(req -> {
        assertThat(req.header("authorization")).isEmpty();
        assertThat(req.header("range")).contains("bytes=100000-");
      });
      assertThat(events.of(TransferEvent.Started.class).getLast().host()).isEqualTo("127.0.0.1:" + other.port());
    }
  }

  @Test
  void aRedirectOutsideHttpIsRefused() {
    server.redirect(route("m", content), 302, URI.create("ftp://127.0.0.1/m.bin"));

    assertThatThrownBy(() -> downloader(FAST).fetch(m(), events))
        .isInstanceOfSatisfying(TransferException.class,
            e -> assertThat(e.kind()).isEqualTo(TransferException.Reason.INSECURE_REDIRECT))
        .hasMessageContaining("redirected to ftp://127.0.0.1/m.bin, which is not http or https");
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheDownload() throws Exception {
    serveM();

    Path result = downloader(FAST).fetch(m(), event -> {
      events.on(event);
      throw new IllegalStateException("broken display");
    });

    assertVerified(result, m());
    assertThat(events.of(TransferEvent.Done.class)).hasSize(1);
  }

  @Test
  void notEnoughDiskSpaceFailsBeforeAnyRequestWithTheNumbers() {
    ModelFile huge = new ModelFile(RelativePath.parse("weights/huge.bin"), ModelFile.MAX_SIZE, Hashing.sha256(content),
        List.of(new SourceUri(source("m", content))));

    assertThatThrownBy(() -> downloader(FAST).fetch(huge, events))
        .isInstanceOfSatisfying(InsufficientSpaceException.class,
            e -> assertThat(e.needed()).isEqualTo(ModelFile.MAX_SIZE))
        .hasMessageMatching("weights/huge\\.bin: not enough free space in .*downloads: 1\\.0 TiB \\(1099511627776 bytes\\)"
            + " more are needed, .* are free; free some space or move the cache folder to a larger disk");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void bytesPastTheLastCheckpointAreKeptAfterAKilledProcess() throws Exception {
    serveM();
    Files.createDirectories(downloads());
    // kill -9 after writing 300000 good bytes of which only 100000 were checkpointed.
    Files.write(downloads().resolve(m().sha256().hex() + ".partial"), java.util.Arrays.copyOf(content, 300_000));
    new PartialMetadata(m().sha256(), SIZE, source("m", content), Optional.of("\"v1\""), Optional.empty(), 100_000)
        .write(downloads().resolve(m().sha256().hex() + ".json"), downloads().resolve(m().sha256().hex() + ".json.tmp"));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    assertThat(requestsM()).singleElement().satisfies(req -> assertThat(req.header("range")).contains("bytes=300000-"));
  }

  @Test
  void aWrongTailPastTheLastCheckpointIsFetchedAgainFromTheCheckpoint() throws Exception {
    serveM();
    Files.createDirectories(downloads());
    // A crash after writing 300000 bytes of which only 100000 were recorded as fsynced.
    byte[] partial = content.clone();
    partial[150_000] ^= 1;
    Files.write(downloads().resolve(m().sha256().hex() + ".partial"), java.util.Arrays.copyOf(partial, 300_000));
    new PartialMetadata(m().sha256(), SIZE, source("m", content), Optional.of("\"v1\""), Optional.empty(), 100_000)
        .write(downloads().resolve(m().sha256().hex() + ".json"), downloads().resolve(m().sha256().hex() + ".json.tmp"));

    Path result = downloader(FAST).fetch(m(), events);

    assertVerified(result, m());
    assertThat(requestsM()).hasSize(2);
    assertThat(requestsM().get(0).header("range")).contains("bytes=300000-");
    assertThat(requestsM().get(1).header("range")).contains("bytes=100000-");
    assertThat(events.letters("weights/m.bin")).startsWith("VS");
  }

  @Test
  void fetchAllReturnsEveryVerifiedFileInOrderAndFetchesADuplicateOnce() throws Exception {
    byte[] other = randomBytes(100_000, 7);
    server.serve(route("a", content), content);
    server.serve(route("b", other), other);
    ModelFile a = file("a.bin", content, source("a", content));
    ModelFile b = file("b.bin", other, source("b", other));
    ModelFile aAgain = file("copy/a.bin", content, source("a", content));

    List<Path> result = downloader(FAST.withParallelism(2)).fetchAll(List.of(b, a, aAgain), events);

    assertThat(result).containsExactly(downloads().resolve(b.sha256().hex()), downloads().resolve(a.sha256().hex()),
        downloads().resolve(a.sha256().hex()));
    assertThat(Files.readAllBytes(result.get(0))).isEqualTo(other);
    assertThat(Files.readAllBytes(result.get(1))).isEqualTo(content);
    assertThat(server.requests(route("a", content))).hasSize(1);
  }

  @Test
  void aVerifiedFileLeftFromAnEarlierRunIsReturnedWithoutARequest() throws Exception {
    serveM();
    downloader(FAST).fetch(m(), events);
    events.events.clear();

    Path again = downloader(FAST).fetch(m(), events);

    assertVerified(again, m());
    assertThat(requestsM()).hasSize(1);
    assertThat(events.letters("weights/m.bin")).isEqualTo("VD");
  }

  @Test
  void anInterruptCancelsAFetchBlockedOnASilentServerWithoutWaitingForTheStallTimeout() throws Exception {
    serveM().then(new Fault.StallAfter(100_000, Duration.ofMinutes(5)));
    DownloadSettings patient = FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(5));
    CountDownLatch firstBytes = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        downloader(patient).fetch(m(), e -> {
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
    assertThat(downloader(patient).partialBytes(m())).isEqualTo(((DownloadCancelledException) thrown.get()).bytesKept());
  }
}
