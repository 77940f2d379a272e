package soko.app.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.acquisition.ContentMismatchException;
import soko.acquisition.oci.OciSettings;
import soko.app.ConsentRequiredException;
import soko.app.DownloadPlan;
import soko.app.RegistryException;
import soko.app.Registries;
import soko.app.Settings;
import soko.app.Soko;
import soko.app.UnknownModelException;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.store.FileState;
import soko.testkit.registry.FaultServer;
import soko.testkit.registry.LocalRegistry;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/**
 * Pull and push through the app layer against a real anonymous docker-registry, with a recording
 * proxy in front to count what Soko asks for.
 */
class RegistriesTest {
  private static final String MODEL = "silero-vad";

  @TempDir
  static Path shared;
  static LocalRegistry registry;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRegistry() throws Exception {
    RequiredTool.require(LocalRegistry.unavailableReason());
    registry = LocalRegistry.start(shared.resolve("registry"), Optional.empty());
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Soko soko(Path home, boolean offline) throws Exception {
    return Soko.open(Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), offline));
  }

  private static Registries registries(Soko soko, String hostPort) {
    return new Registries(soko, OciSettings.defaults().withInsecure(Set.of(hostPort)).withRetries(1, Duration.ZERO));
  }

  private static Registries registries(Soko soko, String hostPort, java.time.Instant now) {
    return new Registries(soko, OciSettings.defaults().withInsecure(Set.of(hostPort)).withRetries(1, Duration.ZERO)
        .withClock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)));
  }

  /** Pushes the bundled model from a fresh home to {@code repo}; returns the pinned reference. */
  private String publish(String repo) throws Exception {
    Soko publisher = soko(dir.resolve("publisher"), false);
    publisher.install(MODEL);
    return registries(publisher, registry.hostPort()).push(MODEL, "oci://" + registry.hostPort() + "/" + repo + ":6.0.0", List.of(),
        e -> {}).pinned();
  }

  private static String viaProxy(String reference, FaultServer proxy) {
    return reference.replace(registry.hostPort(), proxy.hostPort());
  }

  private static List<FaultServer.Request> layerRequests(FaultServer proxy, Soko soko) throws Exception {
    List<FaultServer.Request> out = new ArrayList<>();
    for (ModelFile f : soko.bundledManifest(MODEL).orElseThrow().files()) {
      out.addAll(proxy.requests().stream().filter(r -> r.path().endsWith("/blobs/" + f.sha256())).toList());
    }
    return out;
  }

  @Test
  void aLinkPlantedAtAnOciPartialIsMovedAsideAndTheUsersFileKeepsItsBytes() throws Exception {
    publish("soko/pull-planted");
    Path home = dir.resolve("planted");
    Soko machine = soko(home, false);
    Path userFile = Files.createDirectories(home.resolve("library")).resolve("notes.txt");
    byte[] userBytes = "a user's own file, 36 bytes long...\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(userFile, userBytes);
    ModelFile onnx = machine.bundledManifest(MODEL).orElseThrow().files().stream()
        .filter(f -> f.path().value().endsWith(".onnx")).findFirst().orElseThrow();
    Path downloads = machine.store().downloadsDir();
    Files.createSymbolicLink(downloads.resolve(onnx.sha256().hex() + ".partial"), userFile);
    List<TransferEvent> events = new CopyOnWriteArrayList<>();

    registries(machine, registry.hostPort()).pull("oci://" + registry.hostPort() + "/soko/pull-planted:6.0.0", plan -> true,
        events::add);

    assertThat(Files.readAllBytes(userFile)).isEqualTo(userBytes);
    assertThat(Files.isWritable(userFile)).isTrue();
    assertThat(machine.verify(Optional.of(MODEL), true)).singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo(FileState.VERIFIED));
    assertThat(events).filteredOn(e -> e instanceof TransferEvent.Notice).singleElement()
        .satisfies(e -> assertThat(((TransferEvent.Notice) e).message()).contains("a symbolic link", "moved it aside"));
  }

  @Test
  void aPulledModelIsInstalledVerifiedAndRecordsItsPinnedOrigin() throws Exception {
    String pinned = publish("soko/pull-fresh");
    Soko machine = soko(dir.resolve("machine"), false);
    List<TransferEvent> events = new CopyOnWriteArrayList<>();
    List<DownloadPlan> asked = new ArrayList<>();

    Soko.InstallResult r = registries(machine, registry.hostPort()).pull("oci://" + registry.hostPort() + "/soko/pull-fresh:6.0.0",
        plan -> asked.add(plan), events::add);

    long total = machine.bundledManifest(MODEL).orElseThrow().totalSize();
    assertThat(r.alreadyInstalled()).isFalse();
    assertThat(r.filesWritten()).isEqualTo(2);
    assertThat(r.bytesWritten()).isEqualTo(total);
    assertThat(r.model().origin()).isEqualTo(pinned).startsWith("oci://" + registry.hostPort() + "/soko/pull-fresh:6.0.0@sha256:");
    assertThat(machine.verify(Optional.of(MODEL), true)).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(FileState.VERIFIED));
    assertThat(asked).singleElement().satisfies(p -> {
      assertThat(p.bytesToDownload()).isEqualTo(total);
      assertThat(p.hosts()).containsExactly(registry.hostPort());
      assertThat(p.summary()).startsWith("silero-vad 6.0.0: download 2.2 MiB from " + registry.hostPort());
    });
    assertThat(events).filteredOn(e -> e instanceof TransferEvent.Done)
        .extracting(TransferEvent::file).containsExactlyInAnyOrder("silero_vad_v6.onnx", "LICENSE");
    assertThat(events).filteredOn(e -> e.file().equals("silero_vad_v6.onnx")).first().isInstanceOf(TransferEvent.Started.class);
    assertThat(events).filteredOn(e -> e.file().equals("silero_vad_v6.onnx")).last()
        .isEqualTo(new TransferEvent.Done("silero_vad_v6.onnx", "sha256:1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
            2327524, 2327524));
    assertThat(machine.store().downloadsDir()).isDirectoryNotContaining("glob:**.partial");
  }

  @Test
  void blobsAlreadyInTheStoreAreNeitherAskedForNorDownloaded() throws Exception {
    String pinned = publish("soko/already-here");
    Soko machine = soko(dir.resolve("machine"), false);
    machine.install(MODEL);
    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      Soko.InstallResult r = registries(machine, proxy.hostPort()).pull(viaProxy(pinned, proxy), plan -> {
        throw new AssertionError("consent asked for " + plan.summary());
      }, e -> {});

      assertThat(r.filesWritten()).isZero();
      assertThat(r.model().origin()).startsWith("oci://" + proxy.hostPort() + "/soko/already-here:6.0.0@sha256:");
      assertThat(layerRequests(proxy, machine)).isEmpty();
    }
  }

  @Test
  void refusedConsentMakesNoBlobRequestAndInstallsNothing() throws Exception {
    String pinned = publish("soko/refused");
    Soko machine = soko(dir.resolve("machine"), false);
    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      assertThatThrownBy(() -> registries(machine, proxy.hostPort()).pull(viaProxy(pinned, proxy), plan -> false, e -> {}))
          .isInstanceOf(ConsentRequiredException.class)
          .hasMessageStartingWith("the download was not approved (silero-vad 6.0.0: download 2.2 MiB from " + proxy.hostPort() + "; ")
          .hasMessageEndingWith(" free afterwards; licence MIT); run again with --yes, or answer yes when asked");

      assertThat(layerRequests(proxy, machine)).isEmpty();
      assertThat(machine.list()).isEmpty();
    }
  }

  @Test
  void offlineMakesNoRequestAtAll() throws Exception {
    String pinned = publish("soko/offline");
    Soko machine = soko(dir.resolve("machine"), true);
    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      String ref = viaProxy(pinned, proxy);
      assertThatThrownBy(() -> registries(machine, proxy.hostPort()).pull(ref, plan -> true, e -> {}))
          .isInstanceOf(ConsentRequiredException.class)
          .hasMessage("offline: pulling " + ref + " needs the registry " + proxy.hostPort()
              + "; run without --offline (and unset SOKO_OFFLINE)");
      assertThatThrownBy(() -> registries(machine, proxy.hostPort()).push(MODEL, ref.replaceAll("@.*", ""), List.of(), e -> {}))
          .isInstanceOf(ConsentRequiredException.class);

      assertThat(proxy.requests()).isEmpty();
    }
  }

  @Test
  void aPartialBlobInTheDownloadsFolderIsResumedWithARangeRequest() throws Exception {
    String pinned = publish("soko/resume");
    Soko machine = soko(dir.resolve("machine"), false);
    ModelFile weight = machine.bundledManifest(MODEL).orElseThrow().file("silero_vad_v6.onnx").orElseThrow();
    Soko publisher = soko(dir.resolve("publisher"), false);
    byte[] all = Files.readAllBytes(publisher.verified(MODEL).file("silero_vad_v6.onnx"));
    int have = 1_000_000;
    Files.createDirectories(machine.store().downloadsDir());
    // No record beside it: a registry blob's digest is its own validator, so the bytes are resumed anyway.
    Files.write(machine.store().downloadsDir().resolve(weight.sha256().hex() + ".partial"), Arrays.copyOf(all, have));
    List<TransferEvent> events = new CopyOnWriteArrayList<>();
    List<DownloadPlan> asked = new ArrayList<>();
    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      registries(machine, proxy.hostPort()).pull(viaProxy(pinned, proxy), asked::add, events::add);

      assertThat(asked).singleElement().satisfies(p -> {
        assertThat(p.bytesAlreadyPresent()).isEqualTo(have);
        assertThat(p.bytesToDownload()).isEqualTo(2328599 - have);
      });
      assertThat(proxy.requestsTo("/v2/soko/resume/blobs/" + weight.sha256()))
          .singleElement().satisfies(r -> assertThat(r.header("Range")).contains("bytes=" + have + "-"));
      assertThat(events).filteredOn(e -> e.file().equals("silero_vad_v6.onnx")).containsSubsequence(
          new TransferEvent.Verifying("silero_vad_v6.onnx", have),
          new TransferEvent.Started("silero_vad_v6.onnx", weight.size(), have, proxy.hostPort()));
      assertThat(events).filteredOn(e -> e instanceof TransferEvent.Done d && d.file().equals("silero_vad_v6.onnx"))
          .singleElement().satisfies(e -> assertThat(((TransferEvent.Done) e).bytesTransferred()).isEqualTo(weight.size() - have));
      assertThat(Hashing.sha256(machine.verified(MODEL).file("silero_vad_v6.onnx")).digest()).isEqualTo(weight.sha256());
    }
  }

  @Test
  void aRegistryServingWrongBytesInstallsNothingAndDiscardsThem() throws Exception {
    String pinned = publish("soko/corrupt");
    Soko machine = soko(dir.resolve("machine"), false);
    ModelFile weight = machine.bundledManifest(MODEL).orElseThrow().file("silero_vad_v6.onnx").orElseThrow();
    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      byte[] wrong = new byte[(int) weight.size()];
      proxy.rule(r -> r.path().endsWith("/blobs/" + weight.sha256())
          ? Optional.of(new FaultServer.Response(200, Map.of("Content-Type", "application/octet-stream"), wrong)) : Optional.empty());

      // The same failure as an http(s) mirror's wrong bytes: an integrity failure (exit 3), bytes discarded.
      assertThatThrownBy(() -> registries(machine, proxy.hostPort()).pull(viaProxy(pinned, proxy), plan -> true, e -> {}))
          .isInstanceOfSatisfying(ContentMismatchException.class, e -> assertThat(e.wrongBytes()).isTrue())
          .hasMessageStartingWith("silero_vad_v6.onnx: oci://" + proxy.hostPort() + "/soko/corrupt@" + weight.sha256()
              + " sent " + weight.size() + " bytes with sha256 ")
          .hasMessageEndingWith("; the bytes were discarded; this source serves a different file than the manifest"
              + " names, so use another source or fix the manifest");

      assertThat(machine.list()).isEmpty();
      assertThat(machine.store().hasBlob(weight.sha256())).isFalse();
      assertThat(machine.store().downloadsDir().resolve(weight.sha256().hex() + ".partial")).doesNotExist();
    }
  }

  @Test
  void aSecondPushSkipsEveryBlobAndGivesTheSameDigestWhenItsTimeIsTheSame() throws Exception {
    Soko publisher = soko(dir.resolve("publisher"), false);
    publisher.install(MODEL);
    java.time.Instant t1 = java.time.Instant.parse("2026-05-06T07:08:09Z");
    String target = "oci://" + registry.hostPort() + "/soko/twice:6.0.0";
    Registries.PushResult first = registries(publisher, registry.hostPort(), t1).push(MODEL, target, List.of(), e -> {});

    Registries.PushResult again = registries(publisher, registry.hostPort(), t1).push(MODEL, target, List.of(), e -> {});
    Registries.PushResult later = registries(publisher, registry.hostPort(), t1.plusSeconds(60)).push(MODEL, target, List.of(), e -> {});

    assertThat(again.pinned()).isEqualTo(first.pinned());
    assertThat(again.blobsSkipped()).isEqualTo(2);
    assertThat(again.blobsUploaded()).isZero();
    assertThat(again.bytesUploaded()).isZero();
    assertThat(later.digest()).as("createdAt is the push time, so a later push is a new manifest").isNotEqualTo(first.digest());
    assertThat(later.blobsSkipped()).isEqualTo(2);
    assertThat(later.bytesUploaded()).as("only the config, which carries createdAt")
        .isEqualTo(soko.acquisition.oci.ModelPack.write(publisher.verified(MODEL).manifest(), Optional.empty(), t1.plusSeconds(60))
            .config().length);
  }

  @Test
  void aModelPulledFromOneRepositoryIsPushedToAnotherByMountingItsBlobs() throws Exception {
    String pinned = publish("soko/mount-source");
    Soko machine = soko(dir.resolve("machine"), false);
    Registries r = registries(machine, registry.hostPort());
    r.pull(pinned, plan -> true, e -> {});

    Registries.PushResult pushed = r.push(MODEL, "oci://" + registry.hostPort() + "/soko/mount-target:6.0.0", List.of(), e -> {});

    assertThat(pushed.blobsSkipped()).as("a fresh repository has no blob until it is mounted").isEqualTo(2);
    assertThat(pushed.digest()).isEqualTo(pinned.substring(pinned.indexOf('@') + 1));
  }

  @Test
  void aChunkedPushThatBrokeOffKeepsItsStateInTheCacheAndContinuesWhereTheRegistryStands() throws Exception {
    int chunk = 256 * 1024;
    Soko publisher = soko(dir.resolve("publisher"), false);
    publisher.install(MODEL);
    try (FaultServer proxy = FaultServer.start().forwardTo(registry.hostPort())) {
      Registries chunked = new Registries(publisher, OciSettings.defaults().withInsecure(Set.of(proxy.hostPort()))
          .withRetries(1, Duration.ZERO).withChunking(chunk, chunk));
      String ref = "oci://" + proxy.hostPort() + "/soko/chunked:6.0.0";
      int[] patches = {0};
      proxy.rule(r -> r.method().equals("PATCH") && ++patches[0] > 2 ? Optional.of(FaultServer.Response.of(503)) : Optional.empty());

      assertThatThrownBy(() -> chunked.push(MODEL, ref, List.of(), e -> {})).isInstanceOf(RegistryException.class)
          .hasMessageContaining("answered 503 to an upload chunk");
      Path uploads = publisher.store().roots().cache().resolve(Registries.UPLOADS_FOLDER);
      assertThat(uploads).isDirectoryContaining("glob:**.upload.json");
      proxy.clearRules();
      int before = proxy.requests().size();

      Registries.PushResult r = chunked.push(MODEL, ref, List.of(), e -> {});

      List<String> ranges = proxy.requests().subList(before, proxy.requests().size()).stream()
          .filter(q -> q.method().equals("PATCH")).map(q -> q.header("Content-Range").orElse("")).toList();
      assertThat(ranges).first().isEqualTo((2 * chunk) + "-" + (3 * chunk - 1));
      int config = soko.acquisition.oci.ModelPack.write(publisher.verified(MODEL).manifest(), Optional.empty(), java.time.Instant.now()).config().length;
      assertThat(r.bytesUploaded()).as("the two acknowledged chunks are not sent again, the licence and config are")
          .isEqualTo(2327524 - 2L * chunk + 1075 + config);
      assertThat(uploads).isDirectoryNotContaining("glob:**.upload.json");
    }
  }

  @Test
  void httpsToAPlainHttpRegistrySuggestsMarkingItInsecure() throws Exception {
    Soko machine = soko(dir.resolve("machine"), false);
    Registries strict = new Registries(machine, OciSettings.defaults().withRetries(1, Duration.ZERO));

    assertThatThrownBy(() -> strict.pull("oci://" + registry.hostPort() + "/soko/anything:1.0.0", plan -> true, e -> {}))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("cannot reach " + registry.hostPort())
        .hasMessageEndingWith("; if " + registry.hostPort() + " is a plain-http registry on a trusted network, pass"
            + " --insecure-registry " + registry.hostPort() + " (or set SOKO_INSECURE_REGISTRIES)");
  }

  @Test
  void aMissingModelIsAnUnknownModel() throws Exception {
    Soko machine = soko(dir.resolve("machine"), false);

    assertThatThrownBy(() -> registries(machine, registry.hostPort())
        .pull("oci://" + registry.hostPort() + "/soko/nothing-here:1.0.0", plan -> true, e -> {}))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage(registry.hostPort() + "/soko/nothing-here:1.0.0: no such model in the registry; check the repository and tag");
    assertThatThrownBy(() -> registries(machine, registry.hostPort()).pull("ghcr.io/org/model:1", plan -> true, e -> {}))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("\"ghcr.io/org/model:1\" is not a registry reference; write oci://REGISTRY/REPOSITORY:TAG,"
            + " like oci://ghcr.io/org/model:1.0.0");
  }

  @Test
  void clearingTheCacheKeepsAPartialThatAnotherDownloadHolds() throws Exception {
    Soko machine = soko(dir.resolve("machine"), false);
    Path downloads = machine.store().downloadsDir();
    String hex = "ab".repeat(32);
    Files.write(downloads.resolve(hex + ".partial"), new byte[1000]);
    Path lockFile = downloads.resolve(hex + ".lock");
    Files.write(lockFile, new byte[0]);
    Files.write(downloads.resolve("cd".repeat(32) + ".partial"), new byte[500]);
    // Another process holds the lock: a child JVM would, but a lock from this JVM blocks tryLock the same way.
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock _ = ch.lock()) {
      machine.clearCache(false);
    }
    assertThat(downloads.resolve(hex + ".partial")).exists();
    assertThat(downloads.resolve("cd".repeat(32) + ".partial")).as("an idle partial is cleared").doesNotExist();
  }
}
