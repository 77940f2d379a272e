package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.acquisition.Files4Test.modelFile;
import static soko.acquisition.Files4Test.randomBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.testkit.nginx.Nginx;
import soko.testkit.RequiredTool;

/** Against Debian's nginx: the real server whose Range, If-Range and 416 behaviour the downloader must handle. */
class NginxDownloadTest {
  static final int SIZE = 4 << 20;
  static final DownloadSettings SETTINGS = DownloadSettings.DEFAULTS
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
      .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1));

  @TempDir Path tmp;
  Nginx nginx;
  byte[] content = randomBytes(SIZE, 11);
  Recorder events = new Recorder();
  ModelFile file;
  Downloader downloader;

  @BeforeEach
  void start() throws IOException {
    RequiredTool.require(Nginx.unavailableReason());
    nginx = Nginx.start(tmp.resolve("nginx"));
    Files.write(nginx.root().resolve("m.bin"), content);
    file = modelFile("weights/m.bin", content, nginx.uri("/m.bin"));
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

  /** Fetches and cancels (the listener interrupts the fetching thread) as soon as the first bytes are written. */
  long interruptedFetch() {
    assertThatThrownBy(() -> downloader.fetch(file, e -> {
      events.on(e);
      if (e instanceof TransferEvent.Progress) {
        Thread.currentThread().interrupt();
      }
    })).isInstanceOf(DownloadCancelledException.class);
    return downloader.partialBytes(file);
  }

  @Test
  void fullDownloadIsVerifiedAndCountedOnce() throws Exception {
    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    assertThat(events.of(TransferEvent.Done.class)).singleElement()
        .isEqualTo(new TransferEvent.Done("weights/m.bin", file.sha256().toString(), SIZE, SIZE));
    assertThat(nginx.awaitEntries(1, Duration.ofSeconds(5))).singleElement()
        .satisfies(e -> assertThat(e.bodyBytesSent()).isEqualTo(SIZE));
  }

  @Test
  void resumeAfterCancelSendsRangeAndIfRangeAndTransfersOnlyTheRest() throws Exception {
    long kept = interruptedFetch();
    assertThat(kept).isEqualTo(DownloadSettings.DEFAULT_BUFFER_SIZE);
    int before = nginx.awaitEntries(1, Duration.ofSeconds(5)).size();

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    List<Nginx.Entry> log = nginx.awaitEntries(before + 1, Duration.ofSeconds(5));
    Nginx.Entry resumed = log.getLast();
    assertThat(resumed.status()).isEqualTo(206);
    assertThat(resumed.range()).isEqualTo("bytes=" + kept + "-");
    assertThat(resumed.ifRange()).startsWith("\"").endsWith("\"");
    assertThat(resumed.bodyBytesSent()).isEqualTo(SIZE - kept);
    assertThat(events.of(TransferEvent.Done.class).getLast().bytesTransferred()).isEqualTo(SIZE - kept);
  }

  @Test
  void staleEtagMakesNginxSendTheWholeFileAndTheDownloadRestarts() throws Exception {
    long kept = interruptedFetch();
    // Same bytes, new mtime: nginx's ETag changes, so the saved validator is stale.
    Files.setLastModifiedTime(nginx.root().resolve("m.bin"), FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
    int before = nginx.awaitEntries(1, Duration.ofSeconds(5)).size();

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    Nginx.Entry last = nginx.awaitEntries(before + 1, Duration.ofSeconds(5)).getLast();
    assertThat(last.range()).isEqualTo("bytes=" + kept + "-");
    assertThat(last.status()).isEqualTo(200);
    assertThat(last.bodyBytesSent()).isEqualTo(SIZE);
    assertThat(events.of(TransferEvent.Started.class).getLast().resumedFrom()).isZero();
  }

  @Test
  void completePartialIsVerifiedLocallyInsteadOfAskingForA416() throws Exception {
    long kept = interruptedFetch();
    assertThat(kept).isPositive();
    // The rest of the bytes arrived but the process died before the rename: the partial is complete.
    Path partial = tmp.resolve("downloads").resolve(file.sha256().hex() + ".partial");
    Files.write(partial, content);
    int before = nginx.awaitEntries(1, Duration.ofSeconds(5)).size();
    events.events.clear();

    Path result = downloader.fetch(file, events);

    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    assertThat(events.letters("weights/m.bin")).isEqualTo("VD");
    assertThat(events.of(TransferEvent.Done.class).getLast().bytesTransferred()).isZero();
    assertThat(nginx.accessLog()).hasSize(before);
  }

  @Test
  void interruptingAThreadBlockedOnASlowBodyCancelsItAndKeepsThePartial() throws Exception {
    ModelFile slow = modelFile("weights/m.bin", content, nginx.uri("/slow/m.bin"));
    Downloader small = new Downloader(tmp.resolve("downloads"), SETTINGS.withBufferSize(64 * 1024),
        InstantSource.system());
    CountDownLatch slowPart = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>(false);
    Thread worker = Thread.ofPlatform().start(() -> {
      try {
        Thread.currentThread().setName("platform caller");
        small.fetch(slow, e -> {
          events.on(e);
          if (e instanceof TransferEvent.Progress p && p.bytesDone() > 512 * 1024) {
            slowPart.countDown(); // past nginx's limit_rate_after: reads now block
          }
        });
      } catch (Throwable t) {
        thrown.set(t);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    assertThat(slowPart.await(30, TimeUnit.SECONDS)).isTrue();

    worker.interrupt();
    worker.join(Duration.ofSeconds(30));

    assertThat(worker.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(DownloadCancelledException.class)
        .hasMessageEndingWith("; the partial download is kept and resumes next time");
    assertThat(stillInterrupted.get()).as("the caller's interrupt status is restored").isTrue();
    long kept = ((DownloadCancelledException) thrown.get()).bytesKept();
    assertThat(kept).isBetween(512L * 1024, SIZE - 1L);
    assertThat(small.partialBytes(slow)).isEqualTo(kept);
  }
}
