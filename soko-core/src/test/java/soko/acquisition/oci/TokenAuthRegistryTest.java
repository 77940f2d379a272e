package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.registry.LocalRegistry;
import soko.testkit.registry.TokenServer;
import soko.verification.Digest;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/** A real docker-registry behind a token server: bearer scopes, credentials, mounts. */
class TokenAuthRegistryTest {
  @TempDir
  static Path shared;
  static TokenServer tokens;
  static LocalRegistry registry;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    RequiredTool.require(LocalRegistry.unavailableReason().or(Skopeo::unavailableReason));
    tokens = TokenServer.start(shared.resolve("tokens"), Map.of("soko", "secret"), Duration.ofMinutes(5));
    registry = LocalRegistry.start(shared.resolve("registry"), Optional.of(tokens));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  private OciClient client(CredentialStore credentials) {
    return new OciClient(OciSettings.defaults().withInsecure(Set.of(registry.hostPort())).withCredentials(credentials)
        .withChunking(32 * 1024, 32 * 1024).withRetries(1, Duration.ZERO));
  }

  private static CredentialStore soko(String password) {
    return Credentials.of(Map.of(registry.hostPort(), new RegistryCredential.Basic("soko", password)));
  }

  @Test
  void pushWithCredentialsThenAnonymousPullVerifies() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "authed", 100_000);
    OciReference ref = OciReference.parse(registry.hostPort() + "/soko/authed:1.2.0");

    Digest digest = client(soko("secret")).push(ref, model.manifest(), model::blob, model.license());
    OciClient anonymous = client(CredentialStore.ANONYMOUS);
    PulledManifest pulled = anonymous.pullManifest(ref);
    LayerRef weight = pulled.layers().get(0);
    Path got = Blobs.fetch(anonymous, ref, weight.digest(), weight.size(), dir.resolve("downloads"));

    assertThat(pulled.digest()).isEqualTo(digest);
    assertThat(Hashing.sha256(got).digest()).isEqualTo(weight.digest());
    assertThat(tokens.requests()).anySatisfy(r -> {
      assertThat(r.authenticated()).isTrue();
      assertThat(r.scopes()).containsExactly("repository:soko/authed:pull,push");
    });
    byte[] raw = Skopeo.run(List.of("inspect", "--raw", "--tls-verify=false", "--creds", "soko:secret", "docker://" + ref), dir);
    assertThat(Hashing.sha256(raw)).isEqualTo(digest);
  }

  @Test
  void anonymousPushIsRefusedWithAnActionableMessage() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "anon-push", 10);
    OciReference ref = OciReference.parse(registry.hostPort() + "/soko/anon-push:1.2.0");

    assertThatThrownBy(() -> client(CredentialStore.ANONYMOUS).push(ref, model.manifest(), model::blob, Optional.empty()))
        .isInstanceOf(OciAuthException.class)
        .hasMessage(registry.hostPort() + " refused access to repository:soko/anon-push:pull,push (insufficient_scope);"
            + " check that your account may pull,push soko/anon-push");
  }

  @Test
  void aWrongPasswordIsReportedAsWrongCredentials() throws Exception {
    OciReference ref = OciReference.parse(registry.hostPort() + "/soko/whatever:1.2.0");

    assertThatThrownBy(() -> client(soko("wrong")).pullManifest(ref))
        .isInstanceOf(OciAuthException.class)
        .hasMessage("127.0.0.1 refused to issue a token for " + registry.hostPort() + ": the credentials are wrong; log in again");
  }

  @Test
  void blobsOfAnotherRepositoryAreMountedWithATokenForBothRepositories() throws Exception {
    TestModel model = TestModel.create(dir.resolve("model"), "mounted", 50_000);
    OciClient client = client(soko("secret"));
    client.push(OciReference.parse(registry.hostPort() + "/soko/mount-source:1.2.0"), model.manifest(), model::blob, Optional.empty());
    List<String> skipped = new java.util.concurrent.CopyOnWriteArrayList<>();
    TransferListener listener = new TransferListener() {
      @Override
      public void skipped(Digest blob, String reason) {
        skipped.add(reason);
      }
    };

    client.push(OciReference.parse(registry.hostPort() + "/soko/mount-target:1.2.0"), model.manifest(), model::blob, Optional.empty(),
        List.of("soko/mount-source"), listener);

    assertThat(skipped).hasSize(model.manifest().files().size()).allMatch(r -> r.equals("mounted from soko/mount-source"));
    assertThat(tokens.requests()).anySatisfy(r -> assertThat(r.scopes())
        .contains("repository:soko/mount-target:pull,push", "repository:soko/mount-source:pull"));
  }
}
