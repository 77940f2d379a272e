package soko.acquisition.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends one registry request: adds credentials, answers 401 challenges (at most twice), and
 * follows redirects by hand (at most {@value #MAX_REDIRECTS} hops) with {@code Redirect.NEVER},
 * keeping every header but dropping {@code Authorization} once a hop leaves the registry's
 * scheme, host and port. A redirect target is never remembered: each call starts at the registry,
 * so an expired presigned URL is never reused. Thread-safe.
 */
final class Transport {
  static final int MAX_REDIRECTS = 10;
  private static final int MAX_AUTH_ROUNDS = 2;

  /** What to send. {@code body} is called once per attempt, so it must make a fresh publisher. */
  record Call(String method, URI uri, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body, List<String> scopes) {
    Call {
      headers = Map.copyOf(headers);
      scopes = List.copyOf(scopes);
    }
  }

  private final HttpClient http;
  private final OciSettings settings;
  private final Auth auth;

  Transport(OciSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.connectTimeout())
        .build();
    this.auth = new Auth(http, settings);
  }

  OciSettings settings() {
    return settings;
  }

  /** {@code http://} for registries marked insecure, else {@code https://}. */
  URI base(String registry) {
    return URI.create((settings.insecure(registry) ? "http" : "https") + "://" + registry);
  }

  URI v2(OciReference ref, String rest) {
    return URI.create(base(ref.registry()) + "/v2/" + ref.repository() + rest);
  }

  /** Sends {@code call}; the caller must close the returned body. */
  HttpResponse<InputStream> send(String registry, Call call) throws OciException {
    URI origin = base(registry);
    for (int round = 0; ; round++) {
      Optional<String> authorization = auth.header(registry, call.scopes());
      String method = call.method();
      URI target = call.uri();
      // An upload Location (or saved upload state) may name another host: credentials go to the registry only.
      boolean atRegistry = sameOrigin(origin, target);
      if ("http".equalsIgnoreCase(target.getScheme()) && origin.getScheme().equals("https")) {
        throw new OciProtocolException(registry + " sent Soko to plain http (" + target.getHost()
            + "); Soko refuses the downgrade", 0);
      }
      HttpResponse<InputStream> resp = null;
      for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).method(method, method.equals(call.method())
            ? call.body().get() : HttpRequest.BodyPublishers.noBody());
        call.headers().forEach(b::header);
        if (atRegistry && authorization.isPresent()) {
          b.header("Authorization", authorization.get());
        }
        if ("http".equalsIgnoreCase(target.getScheme())) {
          b.version(HttpClient.Version.HTTP_1_1);
        }
        resp = exchange(registry, b.build());
        int s = resp.statusCode();
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
          break;
        }
        Optional<String> location = resp.headers().firstValue("Location");
        close(resp);
        if (location.isEmpty()) {
          throw new OciProtocolException(registry + " answered " + s + " without a Location header to " + call.method() + " "
              + call.uri().getPath(), s);
        }
        if (hop == MAX_REDIRECTS) {
          throw new OciProtocolException(registry + ": more than " + MAX_REDIRECTS + " redirects for " + call.uri().getPath()
              + "; the registry or its storage is misconfigured", s);
        }
        target = target.resolve(location.get());
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
          throw new OciProtocolException(registry + " redirected to " + target + ", which is not http(s)", s);
        }
        if (scheme.equals("http") && origin.getScheme().equals("https")) {
          throw new OciProtocolException(registry + " redirected from https to plain http (" + target.getHost()
              + "); Soko refuses the downgrade", s);
        }
        atRegistry = atRegistry && sameOrigin(origin, target);
        if (s == 303) {
          method = "GET";
        }
      }
      if (resp.statusCode() == 401 && atRegistry && round < MAX_AUTH_ROUNDS) {
        List<String> challenges = resp.headers().allValues("WWW-Authenticate");
        close(resp);
        auth.challenged(registry, call.scopes(), challenges, authorization);
        continue;
      }
      if (resp.statusCode() == 401) {
        close(resp);
        throw new OciAuthException(registry + " refused access to " + call.uri().getPath()
            + " even with a fresh token; check your credentials and permissions for " + registry);
      }
      return resp;
    }
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private HttpResponse<InputStream> exchange(String registry, HttpRequest req) throws OciTransportException {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new OciTransportException("cannot reach " + req.uri().getHost() + (req.uri().getPort() > 0 ? ":" + req.uri().getPort() : "")
          + " (" + req.method() + " for " + registry + "): " + e + "; check the network and the registry address", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciTransportException("interrupted while talking to " + registry, e);
    }
  }

  static void close(HttpResponse<InputStream> resp) {
    try (InputStream in = resp.body()) {
      in.skipNBytes(0);
    } catch (IOException e) {
      // Closing a body we no longer need; nothing to report.
    }
  }

  /** The first kilobyte of an error body, on one line, for messages. */
  static String errorText(HttpResponse<InputStream> resp) {
    try (InputStream in = resp.body()) {
      String s = new String(in.readNBytes(1024), java.nio.charset.StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
      return s.isEmpty() ? "" : " (" + s + ")";
    } catch (IOException e) {
      return "";
    }
  }
}
