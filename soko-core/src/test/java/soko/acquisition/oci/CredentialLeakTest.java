package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Registries;
import soko.testkit.registry.FaultServer;
import soko.testkit.registry.LocalRegistry;
import soko.testkit.registry.TokenServer;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/**
 * Credentials go only where they belong. Two registries on loopback, each behind its own token
 * server; the environment's credentials are scoped to registry A. Every header that registry B,
 * B's token service and a second host that A redirects to receive is recorded: none carries A's
 * credentials, and B's token service gets no Authorization at all.
 */
class CredentialLeakTest {
  private static final String USER = "ci";
  private static final String PASSWORD = "s3cret-for-A-only";
  private static final String BASIC = "Basic " + Base64.getEncoder()
      .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  @TempDir static Path shared;
  static TokenServer tokensA;
  static TokenServer tokensB;
  static LocalRegistry registryA;
  static LocalRegistry registryB;
  static FaultServer realmB;
  static FaultServer frontB;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    RequiredTool.require(LocalRegistry.unavailableReason());
    tokensA = TokenServer.start(shared.resolve("tokens-a"), Map.of(USER, PASSWORD), Duration.ofMinutes(5));
    registryA = LocalRegistry.start(shared.resolve("registry-a"), Optional.of(tokensA));
    tokensB = TokenServer.start(shared.resolve("tokens-b"), Map.of("publisher", "b-secret"), Duration.ofMinutes(5));
    realmB = FaultServer.start();
    realmB.forwardTo(tokensB.realm().replace("http://", "").replace("/token", ""));
    registryB = LocalRegistry.start(shared.resolve("registry-b"), Optional.of(tokensB),
        Optional.of("http://" + realmB.hostPort() + "/token"));
    frontB = FaultServer.start().forwardTo(registryB.hostPort());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {frontB, realmB, registryB, tokensB, registryA, tokensA}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort
        }
      }
    }
  }

  /** Settings as `soko pull` builds them from the environment, scoped to {@code registry}. */
  private OciSettings fromEnvironment(String registry, List<String> insecure) throws Exception {
    Properties props = new Properties();
    props.setProperty("user.home", dir.resolve("nobody").toString());
    return Registries.settings(Map.of(Registries.ENV_USER, USER, Registries.ENV_PASSWORD, PASSWORD,
        Registries.ENV_REGISTRY, registry, "HOME", dir.resolve("nobody").toString()), props, insecure, Optional.empty())
        .withRetries(1, Duration.ZERO);
  }

  private static void assertNoCredentialIn(List<FaultServer.Request> requests) {
    assertThat(requests).isNotEmpty();
    for (FaultServer.Request r : requests) {
      r.headers().forEach((name, values) -> assertThat(values).as("%s %s header %s", r.method(), r.path(), name)
          .noneMatch(v -> v.contains(BASIC.substring("Basic ".length())) || v.startsWith("Basic ")));
    }
  }

  @Test
  void credentialsScopedToOneRegistryReachNeitherAnotherRegistryNorItsTokenService() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "public-model", 64 * 1024);
    OciReference refB = OciReference.parse(frontB.hostPort() + "/team/public-model:1.0.0");
    new OciClient(OciSettings.defaults().withInsecure(java.util.Set.of(frontB.hostPort()))
        .withCredentials(Credentials.of(Map.of(frontB.hostPort(), new RegistryCredential.Basic("publisher", "b-secret")))))
        .push(refB, model.manifest(), model::blob, model.license());
    int tokenRequestsBefore = tokensB.requests().size();
    int realmBefore = realmB.requests().size();
    int frontBefore = frontB.requests().size();

    OciClient machine = new OciClient(fromEnvironment(registryA.hostPort(), List.of(frontB.hostPort(), registryA.hostPort())));
    PulledManifest pulled = machine.pullManifest(refB);
    LayerRef layer = pulled.layers().getFirst();
    Path got = Blobs.fetch(machine, refB, layer.digest(), layer.size(), dir.resolve("downloads"));

    assertThat(Hashing.sha256(got).digest()).isEqualTo(layer.digest());
    List<FaultServer.Request> atB = frontB.requests().subList(frontBefore, frontB.requests().size());
    List<FaultServer.Request> atRealmB = realmB.requests().subList(realmBefore, realmB.requests().size());
    assertNoCredentialIn(atB);
    assertThat(atRealmB).isNotEmpty().allSatisfy(r -> assertThat(r.header("Authorization")).isEmpty());
    assertThat(tokensB.requests().subList(tokenRequestsBefore, tokensB.requests().size()))
        .isNotEmpty().allSatisfy(r -> assertThat(r.authenticated()).isFalse());
  }

  @Test
  void theRegistryTheCredentialsBelongToGetsThem() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "private-model", 10_000);
    OciReference ref = OciReference.parse(registryA.hostPort() + "/team/private-model:1.0.0");
    OciClient machine = new OciClient(fromEnvironment(registryA.hostPort(), List.of(registryA.hostPort())));

    machine.push(ref, model.manifest(), model::blob, model.license());

    assertThat(tokensA.requests()).anySatisfy(r -> {
      assertThat(r.authenticated()).isTrue();
      assertThat(r.account()).isEqualTo(USER);
    });
  }

  @Test
  void aRedirectToAnotherHostCarriesNoCredentials() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "redirected", 32 * 1024);
    OciReference direct = OciReference.parse(registryA.hostPort() + "/team/redirected:1.0.0");
    new OciClient(fromEnvironment(registryA.hostPort(), List.of(registryA.hostPort())))
        .push(direct, model.manifest(), model::blob, model.license());
    LayerRef layer = new OciClient(fromEnvironment(registryA.hostPort(), List.of(registryA.hostPort())))
        .pullManifest(direct).layers().getFirst();
    byte[] bytes = Files.readAllBytes(model.blobs().get(layer.digest()));
    try (FaultServer storage = FaultServer.start(); FaultServer frontA = FaultServer.start()) {
      storage.rule(r -> Optional.of(new FaultServer.Response(200, Map.of("Content-Type", "application/octet-stream"), bytes)));
      // Like a registry whose storage is elsewhere: an authorised blob request is sent on to it.
      frontA.forwardTo(registryA.hostPort()).rule(r -> r.method().equals("GET") && r.path().endsWith("/blobs/" + layer.digest())
          && r.header("Authorization").isPresent()
          ? Optional.of(new FaultServer.Response(307, Map.of("Location", "http://" + storage.hostPort() + "/blob?sig=x"), new byte[0]))
          : Optional.empty());
      OciReference viaFront = OciReference.parse(frontA.hostPort() + "/team/redirected:1.0.0");
      OciClient machine = new OciClient(fromEnvironment(frontA.hostPort(), List.of(frontA.hostPort())));

      Path got = Blobs.fetch(machine, viaFront, layer.digest(), layer.size(), dir.resolve("downloads"));

      assertThat(Hashing.sha256(got).digest()).isEqualTo(layer.digest());
      assertThat(frontA.requests()).anySatisfy(r -> assertThat(r.header("Authorization")).hasValueSatisfying(
          v -> assertThat(v).startsWith("Bearer ")));
      assertThat(storage.requests()).isNotEmpty()
          .allSatisfy(r -> assertThat(r.header("Authorization")).as("the second host gets no credential").isEmpty());
    }
  }
}
