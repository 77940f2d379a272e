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
 * Repair by chunks from the manifest's chunk digests, against Debian's nginx: a 40 MiB model whose
 * manifest lists 4 MiB chunk digests is installed (a download writes no chunk records), then
 * corrupted; installing it again fetches only the failing chunk by range.
 */
class ChunkDigestRepairTest {
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
      System.out.println("Skipping the chunk digest repair test: " + why.get());
    }
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
    nginx = Nginx.start(tmp.resolve("nginx"));
    content = new byte[SIZE];
    new Random(9).nextBytes(content);
    Files.write(nginx.root().resolve("m.bin"), content);
    List<Digest> chunks = new ArrayList<>();
    for (int from = 0; from < SIZE; from += 4 * MIB) {
      chunks.add(Digest.of(MessageDigest.getInstance("SHA-256")
          .digest(Arrays.copyOfRange(content, from, Math.min(SIZE, from + 4 * MIB)))));
    }
    ModelFile file = new ModelFile(RelativePath.parse("m.bin"), SIZE,
        Digest.of(MessageDigest.getInstance("SHA-256").digest(content)), List.of(new SourceUri(nginx.uri("/m.bin"))),
        Optional.of(new ChunkDigests(4 * MIB, chunks)));
    manifest = new Manifest(ModelName.parse("chunked"), Version.parse("1.0.0"), "test model", List.of(TaskSpec.vad()),
        new EngineRequirement("test-engine", VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), "test"), List.of(file), false, Map.of());
    StoreRoots roots = new StoreRoots(tmp.resolve("data"), tmp.resolve("cache"), tmp.resolve("library"));
    store = Store.open(roots, Clock.systemUTC());
    installs = new InstallService(store, new Downloader(roots.cache().resolve("downloads"), DownloadSettings.DEFAULTS,
        InstantSource.system()), false);
    installs.install(manifest, "test", Consent.APPROVE, e -> { });
  }

  @AfterEach
  void stop() throws IOException {
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void withoutChunkRecordsTheManifestsChunkDigestsNameTheChunkToFetch() throws Exception {
    int seen = nginx.awaitEntries(1, Duration.ofSeconds(5)).size();
    Path blob = store.blobPath(manifest.files().getFirst().sha256());
    blob.toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(blob.toFile(), "rw")) {
      raf.seek(21L * MIB);
      int b = raf.read();
      raf.seek(21L * MIB);
      raf.write(b ^ 0x01);
    }
    assertThat(store.check(store.require(manifest.name()), VerifyMode.CACHED).state()).isEqualTo(FileState.CORRUPT);

    installs.install(manifest, "test", Consent.APPROVE, e -> { });

    List<Nginx.Entry> all = nginx.accessLog();
    assertThat(all.subList(seen, all.size())).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(206);
      assertThat(e.range()).isEqualTo("bytes=" + 20 * MIB + "-" + (24 * MIB - 1));
      assertThat(e.bodyBytesSent()).isEqualTo(4L * MIB);
    });
    assertThat(Files.readAllBytes(blob)).isEqualTo(content);
    assertThat(store.check(store.require(manifest.name()), VerifyMode.WHOLE).state()).isEqualTo(FileState.VERIFIED);
  }
}
