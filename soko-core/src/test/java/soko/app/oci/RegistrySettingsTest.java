package soko.app.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.acquisition.oci.OciSettings;
import soko.acquisition.oci.RegistryCredential;
import soko.app.Registries;
import soko.app.UnknownModelException;

/** How flags, environment variables and the docker/podman credential files become registry settings. */
class RegistrySettingsTest {
  @TempDir
  Path dir;

  private Properties home() {
    Properties p = new Properties();
    p.setProperty("user.home", dir.resolve("user").toString());
    return p;
  }

  private Path credentialsFile(Path file, String registry, String user, String password) throws Exception {
    Files.createDirectories(file.getParent());
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(file, "{\"auths\":{\"https://" + registry + "/v1/\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  @Test
  void insecureRegistriesComeFromFlagsAndTheEnvironment() throws Exception {
    OciSettings s = Registries.settings(Map.of(Registries.ENV_INSECURE, " 127.0.0.1:5000, Mirror.LAN:443  10.0.0.2:5000"), home(),
        List.of("localhost:5001"), Optional.empty());

    assertThat(s.insecureRegistries()).containsExactlyInAnyOrder("localhost:5001", "127.0.0.1:5000", "mirror.lan:443", "10.0.0.2:5000");
  }

  @Test
  void anInsecureRegistryWithASchemeIsRefused() {
    assertThatThrownBy(() -> Registries.settings(Map.of(), home(), List.of("oci://127.0.0.1:5000"), Optional.empty()))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("\"oci://127.0.0.1:5000\" is not a registry host; give HOST:PORT, like 127.0.0.1:5000, in --insecure-registry and "
            + "SOKO_INSECURE_REGISTRIES");
  }

  @Test
  void noRegistryIsInsecureByDefault() throws Exception {
    assertThat(Registries.settings(Map.of(), home(), List.of(), Optional.empty()).insecureRegistries()).isEmpty();
  }

  @Test
  void credentialsAreLookedUpEnvironmentThenAuthFileThenPodmanThenDocker() throws Exception {
    Path run = dir.resolve("run");
    credentialsFile(dir.resolve("user/.docker/config.json"), "docker.example", "d", "dpw");
    Files.writeString(credentialsFile(run.resolve("containers/auth.json"), "podman.example", "p", "ppw"),
        "{\"auths\":{\"podman.example\":{\"auth\":\"" + Base64.getEncoder().encodeToString("p:ppw".getBytes(StandardCharsets.UTF_8))
            + "\"},\"docker.example\":{\"auth\":\"" + Base64.getEncoder().encodeToString("p2:x".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    Path flagFile = credentialsFile(dir.resolve("flag.json"), "flag.example", "f", "fpw");
    Map<String, String> env = new HashMap<>(Map.of("XDG_RUNTIME_DIR", run.toString()));

    OciSettings s = Registries.settings(env, home(), List.of(), Optional.of(flagFile));

    assertThat(s.credentials().find("flag.example")).contains(new RegistryCredential.Basic("f", "fpw"));
    assertThat(s.credentials().find("podman.example")).contains(new RegistryCredential.Basic("p", "ppw"));
    assertThat(s.credentials().find("docker.example")).as("podman's file comes before docker's")
        .contains(new RegistryCredential.Basic("p2", "x"));
    assertThat(s.credentials().find("nobody.example")).isEmpty();

    env.put(Registries.ENV_USER, "ci");
    env.put(Registries.ENV_PASSWORD, "token");
    env.put(Registries.ENV_REGISTRY, "Flag.Example");
    OciSettings withEnv = Registries.settings(env, home(), List.of(), Optional.of(flagFile));
    assertThat(withEnv.credentials().find("flag.example")).contains(new RegistryCredential.Basic("ci", "token"));
    assertThat(withEnv.credentials().find("podman.example")).as("the environment's credentials belong to one registry")
        .contains(new RegistryCredential.Basic("p", "ppw"));
  }

  @Test
  void environmentCredentialsGoOnlyToTheRegistryNamedWithThem() throws Exception {
    OciSettings s = Registries.settings(Map.of(Registries.ENV_USER, "ci", Registries.ENV_PASSWORD, "s3cret",
        Registries.ENV_REGISTRY, "registry.internal:5000"), home(), List.of(), Optional.empty());

    assertThat(s.credentials().find("registry.internal:5000")).contains(new RegistryCredential.Basic("ci", "s3cret"));
    assertThat(s.credentials().find("registry.internal")).isEmpty();
    assertThat(s.credentials().find("ghcr.io")).isEmpty();
    assertThat(s.credentials().find("127.0.0.1:5000")).isEmpty();
  }

  @Test
  void unscopedEnvironmentCredentialsAreRefusedWithWhatToSet() {
    assertThatThrownBy(() -> Registries.settings(Map.of(Registries.ENV_USER, "ci", Registries.ENV_PASSWORD, "s3cret"), home(),
        List.of(), Optional.empty()))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("SOKO_REGISTRY_USER and SOKO_REGISTRY_PASSWORD are set but SOKO_REGISTRY is not: set"
            + " SOKO_REGISTRY=HOST[:PORT] to the one registry they belong to (they are never sent anywhere else)");
  }

  @Test
  void aRegistryScopeWithASchemeOrPathIsRefused() {
    assertThatThrownBy(() -> Registries.settings(Map.of(Registries.ENV_USER, "ci", Registries.ENV_PASSWORD, "s3cret",
        Registries.ENV_REGISTRY, "https://ghcr.io/org"), home(), List.of(), Optional.empty()))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageStartingWith("SOKO_REGISTRY=\"https://ghcr.io/org\" is not a registry host");
  }

  @Test
  void loginsAreFoundUnderHomeFromTheEnvironmentNotThePasswordFile() throws Exception {
    Path envHome = dir.resolve("ci-home");
    credentialsFile(envHome.resolve(".docker/config.json"), "docker.example", "d", "dpw");
    credentialsFile(envHome.resolve(".config/containers/auth.json"), "skopeo.example", "s", "spw");

    OciSettings s = Registries.settings(Map.of("HOME", envHome.toString()), home(), List.of(), Optional.empty());

    assertThat(s.credentials().find("docker.example")).contains(new RegistryCredential.Basic("d", "dpw"));
    assertThat(s.credentials().find("skopeo.example")).contains(new RegistryCredential.Basic("s", "spw"));
  }

  @Test
  void loginFilesAreReadInSkopeosOrder() {
    Path run = dir.resolve("run");
    Path config = dir.resolve("config");
    Path envHome = dir.resolve("h");

    assertThat(Registries.loginFilesFor(Map.of("XDG_RUNTIME_DIR", run.toString(), "XDG_CONFIG_HOME", config.toString(),
        "HOME", envHome.toString()), home()))
        .containsExactly(run.resolve("containers/auth.json"), config.resolve("containers/auth.json"),
            envHome.resolve(".docker/config.json"));
    assertThat(Registries.loginFilesFor(Map.of(), home()))
        .containsExactly(dir.resolve("user/.config/containers/auth.json"), dir.resolve("user/.docker/config.json"));
  }

  @Test
  void theCredentialStoreIsAskedOncePerRegistry() throws Exception {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    soko.acquisition.oci.CredentialStore counting = registry -> {
      asked.incrementAndGet();
      return Optional.empty();
    };
    soko.acquisition.oci.CredentialStore once = counting.memoized();

    for (int i = 0; i < 5; i++) {
      once.find("a.example");
      once.find("b.example");
    }

    assertThat(asked).hasValue(2);
  }

  @Test
  void dockerConfigAndRegistryAuthFileVariablesAreHonoured() throws Exception {
    credentialsFile(dir.resolve("elsewhere/config.json"), "docker.example", "d", "dpw");
    Path podmanStyle = credentialsFile(dir.resolve("auth.json"), "auth.example", "a", "apw");

    OciSettings s = Registries.settings(Map.of("DOCKER_CONFIG", dir.resolve("elsewhere").toString(),
        Registries.ENV_AUTH_FILE, podmanStyle.toString()), home(), List.of(), Optional.empty());

    assertThat(s.credentials().find("docker.example")).contains(new RegistryCredential.Basic("d", "dpw"));
    assertThat(s.credentials().find("auth.example")).contains(new RegistryCredential.Basic("a", "apw"));
  }

  @Test
  void aUserWithoutAPasswordIsRefusedWithTheFix() {
    assertThatThrownBy(() -> Registries.settings(Map.of(Registries.ENV_USER, "ci"), home(), List.of(), Optional.empty()))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("SOKO_REGISTRY_USER is set but SOKO_REGISTRY_PASSWORD is not; set both, or neither to use your docker or"
            + " podman login");
  }

  @Test
  void aMissingAuthFileIsRefusedRatherThanIgnored() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> Registries.settings(Map.of(), home(), List.of(), Optional.of(missing)))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("the credentials file " + missing + " does not exist; fix --authfile or REGISTRY_AUTH_FILE");
  }
}
