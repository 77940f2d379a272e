package soko.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import soko.acquisition.oci.CredentialStore;
import soko.acquisition.oci.Credentials;
import soko.acquisition.oci.OciSettings;
import soko.acquisition.oci.RegistryCredential;

/**
 * The registry settings resolved once from flags and the environment: plain-http registries, the
 * credentials in the environment (for one named registry only), a credentials file, and the
 * logins of other container tools. The settings, their names and their order are described on
 * {@link Registries}, whose {@link Registries#settings} and {@link Registries#loginFilesFor} call
 * this.
 */
final class RegistrySettings {
  private RegistrySettings() {}

  /** See {@link Registries#settings}. */
  static OciSettings resolve(Map<String, String> env, Properties props, List<String> insecureFlags,
      Optional<Path> authFileFlag) throws AppException {
    Set<String> insecure = new LinkedHashSet<>();
    List<String> given = new ArrayList<>(insecureFlags);
    nonEmpty(env.get(Registries.ENV_INSECURE)).ifPresent(v -> given.addAll(List.of(v.trim().split("[,\\s]+"))));
    for (String h : given) {
      String host = h.trim().toLowerCase(Locale.ROOT);
      if (host.isEmpty()) {
        continue;
      }
      if (host.contains("/") || host.startsWith(Registries.SCHEME)) {
        throw new UnknownModelException("\"" + h + "\" is not a registry host; give HOST:PORT, like 127.0.0.1:5000,"
            + " in --insecure-registry and " + Registries.ENV_INSECURE);
      }
      insecure.add(host);
    }
    List<CredentialStore> stores = new ArrayList<>();
    Optional<String> user = nonEmpty(env.get(Registries.ENV_USER));
    Optional<String> password = nonEmpty(env.get(Registries.ENV_PASSWORD));
    Optional<String> scope = nonEmpty(env.get(Registries.ENV_REGISTRY)).map(r -> r.trim().toLowerCase(Locale.ROOT));
    if (user.isPresent() != password.isPresent()) {
      throw new UnknownModelException((user.isPresent() ? Registries.ENV_USER : Registries.ENV_PASSWORD) + " is set but "
          + (user.isPresent() ? Registries.ENV_PASSWORD : Registries.ENV_USER) + " is not; set both, or neither to use your docker or podman login");
    }
    if (user.isPresent()) {
      // Credentials in the environment belong to one registry, named with them: sent to any
      // registry that asked, a CI job's internal token would reach every public registry it pulls from.
      if (scope.isEmpty()) {
        throw new UnknownModelException(Registries.ENV_USER + " and " + Registries.ENV_PASSWORD + " are set but " + Registries.ENV_REGISTRY
            + " is not: set " + Registries.ENV_REGISTRY + "=HOST[:PORT] to the one registry they belong to (they are never"
            + " sent anywhere else)");
      }
      if (!scope.get().matches("[a-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9a-f:.]+\\](:[0-9]{1,5})?")) {
        throw new UnknownModelException(Registries.ENV_REGISTRY + "=\"" + env.get(Registries.ENV_REGISTRY) + "\" is not a registry host; give"
            + " HOST[:PORT] only, like ghcr.io or 127.0.0.1:5000 (no scheme, no path)");
      }
      RegistryCredential.Basic basic;
      try {
        basic = new RegistryCredential.Basic(user.get(), password.orElseThrow());
      } catch (IllegalArgumentException e) {
        throw new UnknownModelException(Registries.ENV_USER + " is not a valid user name: " + e.getMessage());
      }
      String only = scope.get();
      stores.add(registry -> registry.equalsIgnoreCase(only) ? Optional.of(basic) : Optional.empty());
    }
    Optional<Path> authFile = authFileFlag.or(() -> nonEmpty(env.get(Registries.ENV_AUTH_FILE)).map(Path::of));
    if (authFile.isPresent()) {
      if (!Files.isRegularFile(authFile.get())) {
        throw new UnknownModelException("the credentials file " + authFile.get() + " does not exist; fix --authfile or "
            + Registries.ENV_AUTH_FILE);
      }
      stores.add(Credentials.configFile(authFile.get(), Optional.empty()));
    }
    for (Path file : loginFiles(env, props)) {
      stores.add(Credentials.configFile(file, Optional.empty()));
    }
    // One lookup per registry per process: a credential helper is a process of its own.
    return OciSettings.defaults().withInsecure(insecure).withCredentials(CredentialStore.chain(stores).memoized());
  }

  /** See {@link Registries#loginFilesFor}. */
  static List<Path> loginFiles(Map<String, String> env, Properties props) {
    Path home = Settings.userHome(env, props);
    List<Path> out = new ArrayList<>();
    nonEmpty(env.get("XDG_RUNTIME_DIR")).map(Path::of).filter(Path::isAbsolute)
        .ifPresent(run -> out.add(run.resolve("containers/auth.json")));
    Path config = nonEmpty(env.get("XDG_CONFIG_HOME")).map(Path::of).filter(Path::isAbsolute)
        .orElse(home.resolve(".config"));
    out.add(config.resolve("containers/auth.json"));
    Path docker = nonEmpty(env.get("DOCKER_CONFIG")).map(Path::of).orElse(home.resolve(".docker"));
    out.add(docker.resolve("config.json"));
    return List.copyOf(out);
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
  }
}
