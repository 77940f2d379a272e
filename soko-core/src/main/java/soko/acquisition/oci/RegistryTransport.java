package soko.acquisition.oci;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import soko.acquisition.HttpRequest;
import soko.acquisition.HttpResponse;
import soko.acquisition.Redirects;
import soko.acquisition.TransferException;
import soko.acquisition.Transport;
import soko.verification.Digest;

/**
 * Registry blobs, {@code oci://REGISTRY/REPOSITORY@sha256:HEX}: a {@code GET /v2/REPOSITORY/blobs/sha256:HEX}
 * with {@code Range}, the registry's credentials (to the registry only, never to the storage host a
 * blob request is redirected to), and no {@code If-Range}: a blob is named by its digest, so any
 * bytes of it received earlier, from any registry, can be continued. Thread-safe.
 */
final class RegistryTransport implements Transport {
  private final RegistryCalls calls;

  RegistryTransport(RegistryCalls calls) {
    this.calls = calls;
  }

  @Override
  public boolean contentAddressed() {
    return true;
  }

  @Override
  public HttpResponse get(Request request) throws IOException, TransferException {
    URI source = request.source();
    String path = source.getPath();
    int at = path.lastIndexOf('@');
    String registry = source.getHost() + (source.getPort() > 0 ? ":" + source.getPort() : "");
    String repository = path.substring(1, at);
    Digest digest;
    try {
      digest = Digest.parse(path.substring(at + 1));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(source + " is not an oci://REGISTRY/REPOSITORY@sha256:HEX source", e);
    }
    Map<String, String> headers = request.ranged() ? Map.of("Range", request.rangeHeader()) : Map.of();
    RegistryCalls.Call call = new RegistryCalls.Call("GET", calls.v2(registry, repository, "/blobs/" + digest), headers,
        HttpRequest.Body.NONE, List.of("repository:" + repository + ":pull"));
    try {
      return switch (calls.exchange(registry, call)) {
        case Redirects.Outcome.Answered a -> a.response();
        case Redirects.Outcome.Refused f -> throw TransferException.refused(request, f);
      };
    } catch (OciAuthException e) {
      throw new TransferException(request.file(), source, TransferException.Reason.HTTP_STATUS, OptionalInt.of(401),
          e.getMessage(), "the registry does not let Soko read this blob", e);
    } catch (OciException e) {
      throw new TransferException(request.file(), source, TransferException.Reason.BAD_RESPONSE, OptionalInt.empty(),
          e.getMessage(), "the registry misbehaves; use another source", e);
    }
  }

  @Override
  public Optional<String> advice(int status) {
    return switch (status) {
      case 404 -> Optional.of("the registry does not have this blob; the artifact is incomplete, push it again");
      case 401, 403 -> Optional.of("the registry refuses access; check your credentials and permissions for it");
      default -> Optional.empty();
    };
  }
}
