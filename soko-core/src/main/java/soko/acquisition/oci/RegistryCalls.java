package soko.acquisition.oci;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.acquisition.Connector;
import soko.acquisition.HttpRequest;
import soko.acquisition.HttpResponse;
import soko.acquisition.Redirects;

/**
 * Sends one registry request through the {@link Connector}: adds the registry's credentials,
 * answers 401 challenges (at most twice), and follows redirects under the one {@link Redirects}
 * policy, which drops {@code Authorization} once a hop leaves the registry's scheme, host and
 * port. A redirect target is never remembered: each call starts at the registry, so an expired
 * presigned URL is never reused. Thread-safe.
 */
final class RegistryCalls {
  private static final int MAX_AUTH_ROUNDS = 2;

  /** What to send; the body can be sent again (a retry after a challenge re-sends it). */
  record Call(String method, URI uri, Map<String, String> headers, HttpRequest.Body body, List<String> scopes) {
    Call {
      headers = Map.copyOf(headers);
      scopes = List.copyOf(scopes);
    }

    static Call get(URI uri, List<String> scopes) {
      return new Call("GET", uri, Map.of(), HttpRequest.Body.NONE, scopes);
    }
  }

  private final Connector connector;
  private final OciSettings settings;
  private final Auth auth;

  RegistryCalls(Connector connector, OciSettings settings) {
    this.connector = connector;
    this.settings = settings;
    this.auth = new Auth(connector, settings);
  }

  OciSettings settings() {
    return settings;
  }

  /** {@code http://} for registries marked insecure, else {@code https://}. */
  URI base(String registry) {
    return URI.create((settings.insecure(registry) ? "http" : "https") + "://" + registry);
  }

  URI v2(String registry, String repository, String rest) {
    return URI.create(base(registry) + "/v2/" + repository + rest);
  }

  URI v2(OciReference ref, String rest) {
    return v2(ref.registry(), ref.repository(), rest);
  }

  /**
   * Sends {@code call}; the caller closes the response.
   *
   * @throws OciRequestException when the network fails
   */
  HttpResponse send(String registry, Call call) throws OciException {
    try {
      return switch (exchange(registry, call)) {
        case Redirects.Outcome.Answered a -> a.response();
        case Redirects.Outcome.Refused f -> throw OciRequestException.protocol(registry + ": " + f.problem() + " for "
            + call.method() + " " + call.uri().getPath() + "; the registry or its storage is misconfigured", f.status());
      };
    } catch (IOException e) {
      URI u = call.uri();
      throw OciRequestException.transport("cannot reach " + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
          + " (" + call.method() + " for " + registry + "): " + e + "; check the network and the registry address", e);
    }
  }

  /**
   * Sends {@code call} and says how its redirects ended; a network failure is left as it is (the
   * downloader tells an interrupt, a timeout and a reset apart).
   */
  Redirects.Outcome exchange(String registry, Call call) throws IOException, OciException {
    URI origin = base(registry);
    for (int round = 0; ; round++) {
      Optional<String> authorization = auth.header(registry, call.scopes());
      URI target = call.uri();
      // An upload Location (or saved upload state) may name another host: credentials go to the registry only.
      if ("http".equalsIgnoreCase(target.getScheme()) && origin.getScheme().equals("https")) {
        throw OciRequestException.protocol(registry + " sent Soko to plain http (" + target.getHost()
            + "); Soko refuses the downgrade", 0);
      }
      HttpRequest request = new HttpRequest(call.method(), target, call.headers(), call.body(), Optional.empty());
      if (authorization.isPresent()) {
        request = request.with("Authorization", authorization.get());
      }
      Redirects.Outcome outcome = Redirects.follow(connector, request, Optional.of(origin));
      if (!(outcome instanceof Redirects.Outcome.Answered(HttpResponse resp))) {
        return outcome;
      }
      boolean atRegistry = Redirects.sameOrigin(origin, resp.uri());
      if (resp.status() == 401 && atRegistry && round < MAX_AUTH_ROUNDS) {
        List<String> challenges = resp.headers("WWW-Authenticate");
        resp.close();
        auth.challenged(registry, call.scopes(), challenges, authorization);
        continue;
      }
      if (resp.status() == 401) {
        resp.close();
        throw new OciAuthException(registry + " refused access to " + call.uri().getPath()
            + " even with a fresh token; check your credentials and permissions for " + registry);
      }
      return outcome;
    }
  }
}
