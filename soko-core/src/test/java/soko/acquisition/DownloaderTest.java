package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.acquisition.Files4Test.modelFile;
import static soko.acquisition.Files4Test.randomBytes;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.acquisition.oci.OciClient;
import soko.acquisition.oci.OciSettings;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.manifest.SourceUri;
import soko.store.Store;
import soko.store.StoreException;
import soko.store.StoreRoots;
import soko.testkit.http.Fault;
import soko.testkit.http.FaultServer;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/** The downloader beyond one transport: publishing, waiting for another download, mixed sources, the folder. */
class DownloaderTest {
  static final DownloadSettings FAST = TransportContractTest.FAST;

  @TempDir Path tmp;
  FaultServer server;
  byte[] content = randomBytes(512 * 1024, 42);
  Recorder events = new Recorder();
  Store store;

  @BeforeEach
  void start() throws Exception {
    server = FaultServer.start();
    store = Store.open(new StoreRoots(tmp.resolve("data"), tmp.resolve("cache"), tmp.resolve("library")), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    events.assertGrammar();
  }

  Downloader downloader(DownloadSettings settings) {
    return new Downloader(store.downloadsDir(), settings, InstantSource.system());
  }

  /** The store as the install use case gives it to the downloader. */
  Destination intoStore() {
    return new Destination() {
      @Override
      public boolean holds(ModelFile file) {
        return store.hasBlob(file.sha256());
      }

      @Override
      public void publish(ModelFile file, Path verified) throws StoreException, IntegrityException {
        store.publishVerified(file, verified);
      }
    };
  }

  List<String> downloadsFolder() throws IOException {
    try (Stream<Path> s = Files.list(store.downloadsDir())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void fetchIntoPublishesEachVerifiedFileAndLeavesNoPartial() throws Exception {
    server.serve("/m.bin", content);
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/m.bin"));

    List<ModelFile> published = downloader(FAST).fetchInto(List.of(file), intoStore(), events);

    assertThat(published).containsExactly(file);
    assertThat(Hashing.sha256(store.blobPath(file.sha256())).digest()).isEqualTo(file.sha256());
    assertThat(downloadsFolder()).doesNotContain(file.sha256().hex(), file.sha256().hex() + ".partial",
        file.sha256().hex() + ".json");
    assertThat(events.letters("weights/m.bin")).startsWith("S").endsWith("D");
  }

  @Test
  void aSecondInstallOfTheSameFileWaitsForTheFirstAndDownloadsNothing() throws Exception {
    // The first download crawls: 100 KB, then 64 KiB every 300 ms, about 2 s in all.
    server.serve("/m.bin", content).then(new Fault.Trickle(100_000, 64 * 1024, Duration.ofMillis(300)));
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/m.bin"));
    CountDownLatch flowing = new CountDownLatch(1);
    AtomicReference<Object> first = new AtomicReference<>();
    Thread a = Thread.ofPlatform().start(() -> {
      try {
        first.set(downloader(FAST).fetchInto(List.of(file), intoStore(), e -> {
          if (e instanceof TransferEvent.Progress) {
            flowing.countDown();
          }
        }));
      } catch (Exception e) {
        first.set(e);
      }
    });
    flowing.await();

    List<ModelFile> second = new Downloader(store.downloadsDir(), FAST, InstantSource.system())
        .fetchInto(List.of(file), intoStore(), events);
    a.join();

    assertThat(first.get()).isEqualTo(List.of(file));
    assertThat(second).as("the second published nothing: the first did").isEmpty();
    assertThat(server.requests("/m.bin")).as("the bytes crossed the network once").hasSize(1);
    assertThat(events.of(TransferEvent.Notice.class)).first().extracting(TransferEvent.Notice::message).asString()
        .startsWith("waiting for another Soko process to finish installing this file (");
    assertThat(events.of(TransferEvent.Done.class)).singleElement()
        .isEqualTo(new TransferEvent.Done("weights/m.bin", file.sha256().toString(), file.size(), 0));
    assertThat(store.hasBlob(file.sha256())).isTrue();
  }

  @Test
  void anInterruptEndsAWaitForAnotherDownload() throws Exception {
    server.serve("/m.bin", content).then(new Fault.StallAfter(100_000, Duration.ofSeconds(30)));
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/m.bin"));
    CountDownLatch flowing = new CountDownLatch(1);
    Thread holder = Thread.ofPlatform().start(() -> {
      try {
        downloader(FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30)))
            .fetch(file, e -> {
              if (e instanceof TransferEvent.Progress) {
                flowing.countDown();
              }
            });
      } catch (AcquisitionException expected) {
        // cancelled below
      }
    });
    flowing.await();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch waiting = new CountDownLatch(1);
    Thread waiter = Thread.ofPlatform().start(() -> {
      try {
        downloader(FAST).fetch(file, e -> {
          events.on(e);
          if (e instanceof TransferEvent.Notice) {
            waiting.countDown();
          }
        });
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    waiting.await();

    waiter.interrupt();
    waiter.join();
    holder.interrupt();
    holder.join();

    assertThat(thrown.get()).isInstanceOf(DownloadCancelledException.class);
    assertThat(server.requests("/m.bin")).as("the waiter sent nothing").hasSize(1);
  }

  @Test
  void aFileWithAMirrorAndARegistrySourceFailsOverFromOneToTheOther() throws Exception {
    String registry = "127.0.0.1:" + server.port();
    server.serve("/v2/soko/m/blobs/" + Hashing.sha256(content), content);
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/gone.bin"),
        URI.create("oci://" + registry + "/soko/m@" + Hashing.sha256(content)));
    Connector connector = new Connector(FAST.http());
    Downloader both = new Downloader(store.downloadsDir(), FAST, InstantSource.system(), Map.of(
        SourceUri.Kind.HTTP, Downloader.http(connector, FAST),
        SourceUri.Kind.OCI, new OciClient(OciSettings.defaults().withInsecure(Set.of(registry)), connector).blobTransport()));

    both.fetchInto(List.of(file), intoStore(), events);

    assertThat(server.requests()).extracting(FaultServer.Request::path)
        .containsExactly("/gone.bin", "/v2/soko/m/blobs/" + Hashing.sha256(content));
    assertThat(store.hasBlob(file.sha256())).isTrue();
  }

  @Test
  void partialBytesReportsTheResumablePrefixAndRemovePartialsDeletesIt() throws Exception {
    server.serve("/m.bin", content).then(new Fault.TruncateAfter(100_000));
    ModelFile file = modelFile("weights/m.bin", content, server.uri("/m.bin"));
    Downloader d = downloader(FAST.withRetries(1, Duration.ZERO, Duration.ZERO));
    assertThatThrownBy(() -> d.fetch(file, events)).isInstanceOf(TransferException.class);
    Files.writeString(store.downloadsDir().resolve("notes.txt"), "not Soko's");

    assertThat(d.partialBytes(file)).isEqualTo(100_000);
    assertThat(d.partials()).singleElement().satisfies(p -> {
      assertThat(p.sha256()).isEqualTo(file.sha256());
      assertThat(p.bytes()).isEqualTo(100_000);
      assertThat(p.expectedSize()).hasValue(content.length);
      assertThat(p.url()).contains(server.uri("/m.bin"));
      assertThat(p.complete()).isFalse();
    });
    assertThat(d.inUse()).isEmpty();
    assertThat(d.removePartials()).hasSize(1);
    assertThat(downloadsFolder()).containsExactly("notes.txt");
    assertThat(d.partialBytes(file)).isZero();
  }

  @Test
  void aPartialOfAFileWithARegistrySourceCountsWithoutARecord() throws Exception {
    ModelFile file = modelFile("weights/m.bin", content,
        URI.create("oci://127.0.0.1:" + server.port() + "/soko/m@" + Hashing.sha256(content)));
    Downloader withRegistry = new Downloader(store.downloadsDir(), FAST, InstantSource.system(), Map.of(SourceUri.Kind.OCI,
        new OciClient(OciSettings.defaults(), new Connector(FAST.http())).blobTransport()));
    Files.write(store.downloadsDir().resolve(file.sha256().hex() + ".partial"), java.util.Arrays.copyOf(content, 1000));

    assertThat(withRegistry.partialBytes(file)).as("a blob's digest is its validator").isEqualTo(1000);
    assertThat(downloader(FAST).partialBytes(modelFile("weights/m.bin", content, server.uri("/m.bin"))))
        .as("a URL's bytes need a recorded validator").isZero();
  }
}
