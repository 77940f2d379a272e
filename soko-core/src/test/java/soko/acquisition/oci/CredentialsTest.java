package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir
  Path dir;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dockerConfigAuthsGiveBasicAndIdentityTokenCredentials() throws Exception {
    Path cfg = dir.resolve("config.json");
    Files.writeString(cfg, "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("alice:pa:ss") + "\"},"
        + "\"https://registry.example.org/v1/\":{\"identitytoken\":\"refresh-me\"}}}");
    CredentialStore store = Credentials.configFile(cfg, Optional.empty());

    assertThat(store.find("ghcr.io")).contains(new RegistryCredential.Basic("alice", "pa:ss"));
    assertThat(store.find("registry.example.org")).contains(new RegistryCredential.IdentityToken("refresh-me"));
    assertThat(store.find("quay.io")).isEmpty();
  }

  @Test
  void aCredentialHelperIsRunWithTheHostOnStdin() throws Exception {
    Path helper = dir.resolve("docker-credential-fake");
    Files.writeString(helper, "#!/bin/sh\nread host\n[ \"$host\" = \"reg.example.org\" ] || exit 1\n"
        + "echo '{\"ServerURL\":\"reg.example.org\",\"Username\":\"bob\",\"Secret\":\"s3cret\"}'\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
    Path cfg = dir.resolve("config.json");
    Files.writeString(cfg, "{\"credHelpers\":{\"reg.example.org\":\"fake\",\"other.example.org\":\"fake\"}}");
    CredentialStore store = Credentials.configFile(cfg, Optional.of(dir));

    assertThat(store.find("reg.example.org")).contains(new RegistryCredential.Basic("bob", "s3cret"));
    assertThat(store.find("other.example.org")).isEmpty();
  }

  @Test
  void aMissingFileMeansNoCredentialsAndABrokenOneIsReported() throws Exception {
    assertThat(Credentials.configFile(dir.resolve("absent.json"), Optional.empty()).find("ghcr.io")).isEmpty();
    Path bad = dir.resolve("auth.json");
    Files.writeString(bad, "{\"auths\":{\"ghcr.io\":{\"auth\":\"bm9jb2xvbg==\"}}}");

    assertThatThrownBy(() -> Credentials.configFile(bad, Optional.empty()).find("ghcr.io"))
        .isInstanceOf(OciAuthException.class)
        .hasMessage(bad + ": the \"auth\" value at /auths/ghcr.io/auth decodes to no user:password pair");
  }

  @Test
  void chainedStoresAskInOrder() throws Exception {
    CredentialStore first = Credentials.of(java.util.Map.of("a.example", new RegistryCredential.Basic("one", "1")));
    CredentialStore second = Credentials.of(java.util.Map.of("a.example", new RegistryCredential.Basic("two", "2"),
        "b.example", new RegistryCredential.Basic("three", "3")));
    CredentialStore chain = CredentialStore.chain(List.of(first, second));

    assertThat(chain.find("a.example")).contains(new RegistryCredential.Basic("one", "1"));
    assertThat(chain.find("b.example")).contains(new RegistryCredential.Basic("three", "3"));
    assertThat(new RegistryCredential.Basic("x", "hidden").toString()).doesNotContain("hidden");
  }
}
