package soko.acquisition.oci;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import soko.acquisition.Connector;
import soko.acquisition.HttpRequest;
import soko.acquisition.HttpResponse;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * Registry authentication: learns each registry's scheme from its challenges, fetches and caches
 * bearer tokens per (registry, scope set) until {@code expires_in} runs out, and sends Basic
 * credentials to registries that ask for Basic. Thread-safe.
 */
final class Auth {
  /** The distribution token spec's default lifetime when {@code expires_in} is absent. */
  static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
  private static final int MAX_TOKEN_RESPONSE = 1 << 20;

  private record Token(String value, Instant expires) {}

  private sealed interface Scheme {}

  private record BasicScheme() implements Scheme {}

  private record BearerScheme(URI realm, Optional<String> service) implements Scheme {}

  private final Connector connector;
  private final OciSettings settings;
  private final Map<String, Scheme> schemes = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  Auth(Connector connector, OciSettings settings) {
    this.connector = connector;
    this.settings = settings;
  }

  private static String key(String registry, List<String> scopes) {
    return registry + " " + String.join(" ", new TreeSet<>(scopes));
  }

  /** The Authorization header to send to {@code registry} for a request needing {@code scopes}, if any is known yet. */
  Optional<String> header(String registry, List<String> scopes) throws OciAuthException {
    Scheme s = schemes.get(registry);
    if (s instanceof BasicScheme) {
      return basic(registry);
    }
    if (s instanceof BearerScheme) {
      Token t = tokens.get(key(registry, scopes));
      if (t != null && settings.clock().instant().isBefore(t.expires())) {
        return Optional.of("Bearer " + t.value());
      }
    }
    return Optional.empty();
  }

  private Optional<String> basic(String registry) throws OciAuthException {
    Optional<RegistryCredential> c = settings.credentials().find(registry);
    if (c.isPresent() && c.get() instanceof RegistryCredential.Basic b) {
      String pair = b.user() + ":" + b.password();
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  /**
   * Reacts to a 401: remembers the scheme and, for Bearer, fetches a fresh token covering the
   * request's scopes plus any the challenge names. Returns normally when a retry may succeed.
   *
   * @param sent the Authorization header the refused request carried, if any
   * @throws IOException when the token service cannot be reached
   */
  void challenged(String registry, List<String> scopes, List<String> wwwAuthenticate, Optional<String> sent)
      throws IOException, OciException {
    List<Challenge> challenges = Challenge.parseAll(wwwAuthenticate);
    Optional<Challenge> bearer = challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
    if (bearer.isPresent()) {
      Challenge b = bearer.get();
      URI realm;
      try {
        realm = URI.create(b.param("realm").orElseThrow());
      } catch (RuntimeException e) {
        throw OciRequestException.protocol(registry + " asked for a bearer token without a valid realm URL; the registry is misconfigured");
      }
      BearerScheme scheme = new BearerScheme(realm, b.param("service"));
      schemes.put(registry, scheme);
      List<String> wanted = new ArrayList<>(scopes);
      b.param("scope").ifPresent(s -> {
        for (String entry : s.trim().split("\\s+")) {
          if (!entry.isEmpty() && !covered(wanted, entry)) {
            wanted.add(entry);
          }
        }
      });
      boolean insufficient = b.param("error").map("insufficient_scope"::equals).orElse(false);
      Token old = tokens.remove(key(registry, scopes));
      if (old != null && sent.isPresent() && sent.get().equals("Bearer " + old.value()) && insufficient
          && new TreeSet<>(wanted).equals(new TreeSet<>(scopes))) {
        throw new OciAuthException(registry + " refused access to " + String.join(" ", scopes)
            + " (insufficient_scope); check that your account may " + actions(scopes));
      }
      tokens.put(key(registry, scopes), fetchToken(registry, scheme, wanted));
      return;
    }
    Optional<Challenge> basic = challenges.stream().filter(c -> c.scheme().equals("basic")).findFirst();
    if (basic.isPresent()) {
      schemes.put(registry, new BasicScheme());
      if (sent.isPresent() && sent.get().startsWith("Basic ")) {
        throw new OciAuthException(registry + " refused the user name and password; log in again or fix the credentials for "
            + registry);
      }
      if (basic(registry).isEmpty()) {
        throw new OciAuthException(registry + " needs a user name and password and none is configured; log in to "
            + registry + " (docker login or podman login) or pass credentials");
      }
      return;
    }
    throw new OciAuthException(registry + " answered 401 with no Bearer or Basic challenge ("
        + (wwwAuthenticate.isEmpty() ? "no WWW-Authenticate header" : "schemes: "
        + String.join(", ", challenges.stream().map(Challenge::scheme).toList())) + "); Soko cannot log in there");
  }

  /** True when some scope in {@code have} names the same resource with at least the actions of {@code entry}. */
  static boolean covered(List<String> have, String entry) {
    int last = entry.lastIndexOf(':');
    if (last < 0) {
      return have.contains(entry);
    }
    String resource = entry.substring(0, last);
    List<String> actions = List.of(entry.substring(last + 1).split(","));
    for (String h : have) {
      int l = h.lastIndexOf(':');
      if (l >= 0 && h.substring(0, l).equals(resource) && List.of(h.substring(l + 1).split(",")).containsAll(actions)) {
        return true;
      }
    }
    return false;
  }

  private static String actions(List<String> scopes) {
    return scopes.stream().map(s -> s.substring(s.lastIndexOf(':') + 1) + " " + s.substring(s.indexOf(':') + 1, s.lastIndexOf(':')))
        .reduce((a, b) -> a + " and " + b).orElse("do this");
  }

  private Token fetchToken(String registry, BearerScheme scheme, List<String> scopes) throws IOException, OciException {
    Optional<RegistryCredential> cred = settings.credentials().find(registry);
    String realmScheme = scheme.realm().getScheme() == null ? "" : scheme.realm().getScheme().toLowerCase(Locale.ROOT);
    if (!realmScheme.equals("https") && !realmScheme.equals("http")) {
      throw OciRequestException.protocol(registry + " named the token realm " + scheme.realm() + ", which is not an http(s) URL");
    }
    // The rule for token services (Docker token spec; OCI distribution leaves it to clients): the
    // credential found is the challenging registry's own (credentials are looked up by registry),
    // and it goes to the realm only over https, or over plain http only when the realm is on the
    // registry's own host and that registry is listed as insecure (a loopback or LAN registry).
    boolean httpsRealm = realmScheme.equals("https");
    boolean ownHost = hostOf(registry).equalsIgnoreCase(String.valueOf(scheme.realm().getHost()));
    if (cred.isPresent() && !httpsRealm && !(ownHost && settings.insecure(registry))) {
      throw new OciAuthException(registry + " wants its credentials sent to " + scheme.realm() + " over plain http"
          + (ownHost ? "" : " on another host") + "; Soko sends credentials to a token service only over https"
          + (ownHost ? ", unless the registry is listed as insecure" : ""));
    }
    StringBuilder query = new StringBuilder();
    scheme.service().ifPresent(s -> append(query, "service", s));
    for (String s : scopes) {
      append(query, "scope", s);
    }
    HttpRequest req;
    String base = scheme.realm().toString();
    if (cred.isPresent() && cred.get() instanceof RegistryCredential.IdentityToken id) {
      StringBuilder form = new StringBuilder(query);
      append(form, "grant_type", "refresh_token");
      append(form, "refresh_token", id.token());
      append(form, "client_id", "soko");
      req = new HttpRequest("POST", scheme.realm(), Map.of("Content-Type", "application/x-www-form-urlencoded"),
          HttpRequest.Body.Bytes.of(form.toString().getBytes(StandardCharsets.UTF_8)), Optional.empty());
    } else {
      if (cred.isPresent() && cred.get() instanceof RegistryCredential.Basic b) {
        append(query, "account", b.user());
      }
      req = HttpRequest.get(URI.create(base + (query.isEmpty() ? "" : (base.contains("?") ? "&" : "?") + query)));
      Optional<String> basic = basic(registry);
      if (basic.isPresent()) {
        req = req.with("Authorization", basic.get());
      }
    }
    int status;
    byte[] body;
    try (HttpResponse resp = connector.send(req)) {
      status = resp.status();
      body = resp.body().readNBytes(MAX_TOKEN_RESPONSE);
    }
    if (status == 401 || status == 403) {
      throw new OciAuthException(scheme.realm().getHost() + " refused to issue a token for " + registry
          + (cred.isPresent() ? ": the credentials are wrong; log in again" : ": anonymous access is not allowed; log in to " + registry));
    }
    if (status != 200) {
      throw OciRequestException.protocol("the token service " + scheme.realm() + " answered " + status + " for " + registry,
          status);
    }
    try {
      Node root = Json.parse(body, MAX_TOKEN_RESPONSE, "token response");
      String token = root.opt("token").isPresent() ? root.get("token").text() : root.get("access_token").text();
      if (token.isEmpty()) {
        throw root.problem("the token is empty");
      }
      Duration life = root.opt("expires_in").isPresent()
          ? Duration.ofSeconds(root.get("expires_in").integer(0, 366L * 24 * 3600)) : DEFAULT_TOKEN_LIFETIME;
      // Renew a little early so a token does not expire between our check and the registry's.
      Duration margin = life.dividedBy(10).compareTo(Duration.ofSeconds(10)) < 0 ? life.dividedBy(10) : Duration.ofSeconds(10);
      return new Token(token, settings.clock().instant().plus(life).minus(margin));
    } catch (JsonProblem p) {
      throw OciRequestException.protocol("the token service " + scheme.realm() + " sent a bad answer: " + p.getMessage(), p);
    }
  }

  /** The host of {@code host[:port]} or {@code [v6]:port}, without the port. */
  static String hostOf(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return end > 0 ? registry.substring(1, end) : registry;
    }
    int colon = registry.lastIndexOf(':');
    return colon > 0 ? registry.substring(0, colon) : registry;
  }

  private static void append(StringBuilder q, String name, String value) {
    if (!q.isEmpty()) {
      q.append('&');
    }
    q.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
