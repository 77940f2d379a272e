package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.registry.FaultServer;
import soko.verification.Digest;
import soko.verification.Hashing;

/** A scripted registry that misbehaves on purpose. */
class RegistryFaultTest {
  @TempDir
  Path dir;
  FaultServer server;
  TestModel model;
  ModelPackArtifact art;
  OciReference ref;

  @BeforeEach
  void serveModel() throws Exception {
    server = FaultServer.start();
    model = TestModel.create(dir.resolve("model"), "faulty", 5000);
    art = ModelPack.write(model.manifest(), Optional.empty(), TestModel.CREATED);
    ref = OciReference.parse(server.hostPort() + "/soko/faulty:1.2.0");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OciClient client(CredentialStore credentials) {
    return new OciClient(OciSettings.defaults().withInsecure(Set.of(server.hostPort())).withCredentials(credentials)
        .withRetries(1, Duration.ZERO));
  }

  /** Serves the model honestly, with the given manifest bytes. */
  private void serve(byte[] manifest, Map<String, String> manifestHeaders) {
    Map<String, byte[]> blobs = new HashMap<>();
    blobs.put("/v2/soko/faulty/blobs/" + art.configDigest(), art.config());
    model.blobs().forEach((d, p) -> blobs.put("/v2/soko/faulty/blobs/" + d, read(p)));
    server.rule(r -> {
      if (r.path().equals("/v2/soko/faulty/manifests/1.2.0")) {
        Map<String, String> h = new HashMap<>(Map.of("Content-Type", ImageManifest.OCI_MANIFEST));
        h.putAll(manifestHeaders);
        return Optional.of(new FaultServer.Response(200, h, manifest));
      }
      byte[] b = blobs.get(r.path());
      return b == null ? Optional.empty() : Optional.of(new FaultServer.Response(200, Map.of(), b));
    });
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aManifestWhoseBytesDoNotMatchTheRegistrysDigestIsRefused() {
    Digest other = Hashing.sha256("other".getBytes(StandardCharsets.UTF_8));
    serve(art.manifest(), Map.of("Docker-Content-Digest", other.toString()));

    assertThatThrownBy(() -> client(CredentialStore.ANONYMOUS).pullManifest(ref))
        .isInstanceOf(OciIntegrityException.class)
        .hasMessage(ref + ": the manifest hashes to " + art.manifestDigest() + " but the registry's Docker-Content-Digest is "
            + other + "; the registry or a proxy altered it, so it was not used");
  }

  @Test
  void aManifestThatDoesNotMatchThePinnedDigestIsRefused() {
    Digest pinned = Hashing.sha256("pinned".getBytes(StandardCharsets.UTF_8));
    server.rule(r -> r.path().equals("/v2/soko/faulty/manifests/" + pinned)
        ? Optional.of(new FaultServer.Response(200, Map.of("Content-Type", ImageManifest.OCI_MANIFEST), art.manifest()))
        : Optional.empty());

    assertThatThrownBy(() -> client(CredentialStore.ANONYMOUS).pullManifest(ref.withDigest(pinned)))
        .isInstanceOf(OciIntegrityException.class)
        .hasMessageContaining("but the pinned digest is " + pinned);
  }

  @Test
  void aBlobWithWrongBytesIsRefusedAndItsPartialDiscarded() throws Exception {
    LayerRef weight = art.layers().get(0);
    byte[] wrong = new byte[(int) weight.size()];
    server.rule(r -> r.path().equals("/v2/soko/faulty/blobs/" + weight.digest())
        ? Optional.of(new FaultServer.Response(200, Map.of(), wrong)) : Optional.empty());
    Path downloads = dir.resolve("downloads");

    assertThatThrownBy(() -> Blobs.fetch(client(CredentialStore.ANONYMOUS), ref, weight.digest(), weight.size(), downloads))
        .isInstanceOfSatisfying(soko.acquisition.ContentMismatchException.class, e -> assertThat(e.wrongBytes()).isTrue())
        .hasMessage("blob: " + Blobs.source(ref, weight.digest()) + " sent " + weight.size() + " bytes with sha256 "
            + Hashing.sha256(wrong).hex() + ", but the manifest says " + weight.digest().hex() + "; the bytes were"
            + " discarded; this source serves a different file than the manifest names, so use another source or fix"
            + " the manifest");
    assertThat(downloads.resolve(weight.digest().hex() + ".partial")).doesNotExist();
    assertThat(downloads.resolve(weight.digest().hex())).doesNotExist();
  }

  @Test
  void aRedirectToAnotherHostCarriesTheRangeButNoAuthorization() throws Exception {
    LayerRef weight = art.layers().get(0);
    byte[] bytes = read(model.blob(weight.digest()));
    try (FaultServer storage = FaultServer.start()) {
      storage.rule(r -> Optional.of(new FaultServer.Response(206,
          Map.of("Content-Range", "bytes 1000-" + (bytes.length - 1) + "/" + bytes.length),
          java.util.Arrays.copyOfRange(bytes, 1000, bytes.length))));
      server.rule(r -> r.header("Authorization").isEmpty()
          ? Optional.of(new FaultServer.Response(401, Map.of("WWW-Authenticate", "Basic realm=\"faulty\""), new byte[0]))
          : Optional.of(new FaultServer.Response(307,
              Map.of("Location", "http://localhost:" + storage.port() + "/bucket/blob?X-Amz-Signature=abc"), new byte[0])));
      Path downloads = Files.createDirectories(dir.resolve("downloads"));
      Files.write(downloads.resolve(weight.digest().hex() + ".partial"), java.util.Arrays.copyOf(bytes, 1000));

      Path got = Blobs.fetch(client(Credentials.of(Map.of(server.hostPort(), new RegistryCredential.Basic("soko", "secret")))),
          ref, weight.digest(), weight.size(), downloads);

      assertThat(Files.readAllBytes(got)).isEqualTo(bytes);
      assertThat(server.requests()).last().satisfies(r -> assertThat(r.header("Authorization")).isPresent());
      assertThat(storage.requests()).singleElement().satisfies(r -> {
        assertThat(r.header("Authorization")).isEmpty();
        assertThat(r.header("Range")).contains("bytes=1000-");
      });
    }
  }

  @Test
  void anUploadLocationOnAnotherHostNeverReceivesTheRegistrysCredentials() throws Exception {
    // The storage host keeps what it is sent, checking each blob's digest as a registry does; the
    // registry serves those blobs and the manifest back, so the push can be read back by digest.
    Map<Digest, byte[]> stored = new java.util.concurrent.ConcurrentHashMap<>();
    Map<Digest, byte[]> manifests = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger uploads = new AtomicInteger();
    try (FaultServer storage = FaultServer.start()) {
      storage.rule(r -> {
        Optional<String> digest = r.query().filter(q -> q.startsWith("digest=")).map(q -> q.substring("digest=".length()));
        if (!r.method().equals("PUT") || !r.path().startsWith("/upload/") || digest.isEmpty()) {
          return Optional.of(FaultServer.Response.of(400));
        }
        Digest claimed = Digest.parse(java.net.URLDecoder.decode(digest.get(), StandardCharsets.UTF_8));
        if (!Hashing.sha256(r.body()).equals(claimed)) {
          return Optional.of(FaultServer.Response.of(400));
        }
        stored.put(claimed, r.body());
        return Optional.of(new FaultServer.Response(201, Map.of("Docker-Content-Digest", claimed.toString()), new byte[0]));
      });
      server.rule(r -> {
        if (r.header("Authorization").isEmpty()) {
          return Optional.of(new FaultServer.Response(401, Map.of("WWW-Authenticate", "Basic realm=\"faulty\""), new byte[0]));
        }
        String blobs = "/v2/soko/faulty/blobs/";
        String tags = "/v2/soko/faulty/manifests/";
        if (r.method().equals("POST") && r.path().equals(blobs + "uploads/")) {
          return Optional.of(new FaultServer.Response(202,
              Map.of("Location", "http://localhost:" + storage.port() + "/upload/" + uploads.incrementAndGet()), new byte[0]));
        }
        if (r.method().equals("GET") && r.path().startsWith(blobs)) {
          byte[] b = stored.get(Digest.parse(r.path().substring(blobs.length())));
          return Optional.of(b == null ? FaultServer.Response.of(404) : new FaultServer.Response(200, Map.of(), b));
        }
        if (r.method().equals("PUT") && r.path().equals(tags + "1.2.0")) {
          Digest d = Hashing.sha256(r.body());
          manifests.put(d, r.body());
          return Optional.of(new FaultServer.Response(201, Map.of("Docker-Content-Digest", d.toString()), new byte[0]));
        }
        if (r.method().equals("GET") && r.path().startsWith(tags + "sha256:")) {
          byte[] m = manifests.get(Digest.parse(r.path().substring(tags.length())));
          return Optional.of(m == null ? FaultServer.Response.of(404)
              : new FaultServer.Response(200, Map.of("Content-Type", ImageManifest.OCI_MANIFEST), m));
        }
        return Optional.of(FaultServer.Response.of(404));
      });
      OciClient client = client(Credentials.of(Map.of(server.hostPort(), new RegistryCredential.Basic("alice", "s3cret"))));

      Digest pushed = client.push(ref, model.manifest(), model::blob, Optional.empty());

      assertThat(storage.requests()).as("the uploads went to the other host").isNotEmpty()
          .allSatisfy(r -> assertThat(r.header("Authorization")).as(r.method() + " " + r.path()).isEmpty());
      PulledManifest back = client.pullManifest(ref.withDigest(pushed));
      assertThat(back.digest()).isEqualTo(pushed);
      assertThat(back.model().files()).as("the same files, now with the registry as their source")
          .extracting(f -> f.path() + " " + f.size() + " " + f.sha256())
          .containsExactlyElementsOf(model.manifest().files().stream().map(f -> f.path() + " " + f.size() + " " + f.sha256()).toList());
      // The config carries the push time (createdAt), so its digest is read from the manifest pushed.
      java.util.regex.Matcher config = java.util.regex.Pattern
          .compile("\"config\"\\s*:\\s*\\{[^}]*\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"")
          .matcher(new String(manifests.get(pushed), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(config.find()).as("the pushed manifest names its config").isTrue();
      assertThat(stored.keySet()).as("every layer and the config reached the storage host")
          .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
              back.layers().stream().map(LayerRef::digest), java.util.stream.Stream.of(Digest.parse(config.group(1)))).toList());
    }
  }

  @Test
  void aTokenThatExpiresHalfwayIsRenewedOnce() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    server.rule(r -> r.path().equals("/token")
        ? Optional.of(new FaultServer.Response(200, Map.of("Content-Type", "application/json"),
            ("{\"token\":\"t" + issued.incrementAndGet() + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8)))
        : Optional.empty());
    // t1 is good for the manifest only; afterwards the registry treats it as expired.
    server.rule(r -> {
      String auth = r.header("Authorization").orElse("");
      boolean ok = auth.equals("Bearer t2") || (auth.equals("Bearer t1") && r.path().contains("/manifests/"));
      return ok ? Optional.empty() : Optional.of(new FaultServer.Response(401, Map.of("WWW-Authenticate",
          "Bearer realm=\"http://" + server.hostPort() + "/token\",service=\"faulty\",scope=\"repository:soko/faulty:pull\""),
          new byte[0]));
    });
    serve(art.manifest(), Map.of());
    OciClient client = client(CredentialStore.ANONYMOUS);

    PulledManifest pulled = client.pullManifest(ref);
    LayerRef weight = pulled.layers().get(0);
    Path got = Blobs.fetch(client, ref, weight.digest(), weight.size(), dir.resolve("downloads"));

    assertThat(Hashing.sha256(got).digest()).isEqualTo(weight.digest());
    assertThat(issued.get()).isEqualTo(2);
  }

  @Test
  void aPathTraversingFilepathAnnotationIsRefusedOnPull() {
    byte[] evil = new String(art.manifest(), StandardCharsets.UTF_8)
        .replace("\"org.cncf.model.filepath\":\"ggml-test.bin\"", "\"org.cncf.model.filepath\":\"/etc/cron.d/x\"")
        .getBytes(StandardCharsets.UTF_8);
    serve(evil, Map.of());

    assertThatThrownBy(() -> client(CredentialStore.ANONYMOUS).pullManifest(ref))
        .isInstanceOf(OciFormatException.class)
        .hasMessage(ref.withDigest(Hashing.sha256(evil)) + ": layer 0 has the unsafe path \"/etc/cron.d/x\", refused: "
            + "the path is absolute; use a path relative to the model, like weights/model.onnx");
  }

  @Test
  void onlyRegistriesMarkedInsecureAreReachedOverPlainHttp() {
    RegistryCalls t = new RegistryCalls(new soko.acquisition.Connector(soko.acquisition.HttpSettings.DEFAULTS),
        OciSettings.defaults().withInsecure(Set.of(server.hostPort())));

    assertThat(t.base(server.hostPort())).hasToString("http://" + server.hostPort());
    assertThat(t.base("localhost:" + server.port())).hasToString("https://localhost:" + server.port());
    assertThat(t.base("127.0.0.1:5000")).hasToString("https://127.0.0.1:5000");
  }
}
