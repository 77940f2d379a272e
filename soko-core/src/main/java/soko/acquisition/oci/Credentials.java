package soko.acquisition.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * Credential stores over the files other container tools write. This class reads no environment
 * variables or system properties: the caller ({@code soko.app}) resolves the paths, e.g.
 * {@code ~/.docker/config.json} (or {@code $DOCKER_CONFIG/config.json}) and
 * {@code $XDG_RUNTIME_DIR/containers/auth.json}.
 *
 * <p>Both files have the same shape:
 * <pre>{@code
 * { "auths": { "ghcr.io": { "auth": "base64(user:password)" },
 *              "https://index.docker.io/v1/": { "identitytoken": "..." } },
 *   "credHelpers": { "123.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login" },
 *   "credsStore": "desktop" }
 * }</pre>
 * A host in {@code credHelpers}, or any host when {@code credsStore} is set and {@code auths} has no
 * inline secret for it, is looked up by running {@code docker-credential-<helper> get} with the
 * host on stdin; it prints {@code {"ServerURL","Username","Secret"}}, and the user name
 * {@code <token>} marks an identity token. A missing file means "no credentials".
 *
 * <p>The stores made here are thread-safe; a config file is read again on each lookup (wrap a store
 * in {@link CredentialStore#memoized()} to read it once per registry).
 */
public final class Credentials {
  private static final Pattern HELPER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final long MAX_FILE = 1 << 20;
  private static final long HELPER_TIMEOUT_SECONDS = 30;

  private Credentials() {}

  /**
   * Explicit credentials per registry host, e.g. from command-line flags.
   *
   * @param byRegistry registry host ({@code host[:port]}, lower case) to credential (copied)
   * @return a store that answers from the map and never throws
   */
  public static CredentialStore of(Map<String, RegistryCredential> byRegistry) {
    Map<String, RegistryCredential> copy = Map.copyOf(byRegistry);
    return registry -> Optional.ofNullable(copy.get(registry));
  }

  /**
   * A docker-style config file ({@code config.json} or podman's {@code auth.json}).
   *
   * @param helperDirectory where {@code docker-credential-*} programs are; empty to let the OS
   *     search its PATH
   * @param file the config file; may not exist
   * @return a store that reads {@code file} on each lookup and throws {@link OciAuthException} when
   *     it is too large, unreadable or malformed, or its helper cannot be run, fails or times out
   *     after 30 s
   */
  public static CredentialStore configFile(Path file, Optional<Path> helperDirectory) {
    return registry -> lookup(file, helperDirectory, registry);
  }

  private static Optional<RegistryCredential> lookup(Path file, Optional<Path> helperDir, String registry) throws OciAuthException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new OciAuthException(file + " is larger than 1 MiB, so it is not a credentials file; fix or remove it");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OciAuthException("cannot read credentials from " + file + ": " + e.getMessage(), e);
    }
    try {
      Node root = Json.parse(bytes, MAX_FILE, "credentials file");
      Optional<Node> helpers = root.opt("credHelpers");
      if (helpers.isPresent() && helpers.get().opt(registry).isPresent()) {
        return runHelper(helpers.get().get(registry).text(), helperDir, registry);
      }
      Optional<Node> auths = root.opt("auths");
      if (auths.isPresent()) {
        for (Node.Member m : auths.get().members(4096)) {
          if (hostOf(m.key()).equals(registry)) {
            Optional<RegistryCredential> c = entry(m.value(), file);
            if (c.isPresent()) {
              return c;
            }
          }
        }
      }
      Optional<Node> store = root.opt("credsStore");
      if (store.isPresent()) {
        return runHelper(store.get().text(), helperDir, registry);
      }
      return Optional.empty();
    } catch (JsonProblem p) {
      throw new OciAuthException(file + " is not a valid credentials file at " + (p.pointer().isEmpty() ? "/" : p.pointer())
          + ": " + p.problem(), p);
    }
  }

  private static Optional<RegistryCredential> entry(Node e, Path file) throws JsonProblem, OciAuthException {
    if (e.opt("identitytoken").isPresent() && !e.get("identitytoken").text().isEmpty()) {
      return Optional.of(new RegistryCredential.IdentityToken(e.get("identitytoken").text()));
    }
    if (e.opt("auth").isPresent() && !e.get("auth").text().isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(e.get("auth").text().trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException ex) {
        throw new OciAuthException(file + ": the \"auth\" value at " + e.pointer() + "/auth is not base64 of user:password", ex);
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new OciAuthException(file + ": the \"auth\" value at " + e.pointer() + "/auth decodes to no user:password pair");
      }
      return Optional.of(new RegistryCredential.Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    return Optional.empty();
  }

  /** The host of an {@code auths} key, which may be a bare host, a host/path, or a URL. */
  static String hostOf(String key) {
    String k = key;
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return k.toLowerCase(Locale.ROOT);
  }

  private static Optional<RegistryCredential> runHelper(String helper, Optional<Path> dir, String registry) throws OciAuthException {
    if (!HELPER.matcher(helper).matches()) {
      throw new OciAuthException("the credential helper name \"" + helper + "\" is not valid; fix credHelpers/credsStore");
    }
    String program = "docker-credential-" + helper;
    String command = dir.map(d -> d.resolve(program).toString()).orElse(program);
    Process p;
    try {
      p = new ProcessBuilder(List.of(command, "get")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new OciAuthException("cannot run the credential helper " + program + " for " + registry + ": " + e.getMessage()
          + "; install it or remove it from the credentials file", e);
    }
    try (InputStream out = p.getInputStream()) {
      try (OutputStream in = p.getOutputStream()) { // closed before reading: the helper reads to end of input
        in.write(registry.getBytes(StandardCharsets.UTF_8));
      }
      byte[] answer = out.readNBytes((int) MAX_FILE);
      if (!p.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new OciAuthException("the credential helper " + program + " did not finish within " + HELPER_TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        // Helpers exit non-zero with "credentials not found in native keychain" for unknown hosts.
        return Optional.empty();
      }
      Node root = Json.parse(answer, MAX_FILE, program + " answer");
      String user = root.get("Username").text();
      String secret = root.get("Secret").text();
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(user.equals("<token>") ? new RegistryCredential.IdentityToken(secret)
          : new RegistryCredential.Basic(user, secret));
    } catch (IOException e) {
      throw new OciAuthException("the credential helper " + program + " failed for " + registry + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new OciAuthException("interrupted while running " + program, e);
    } catch (JsonProblem e) {
      throw new OciAuthException(program + " printed something that is not a credential: " + e.getMessage(), e);
    }
  }
}
