package soko.acquisition;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.acquisition.oci.Credentials;
import soko.acquisition.oci.OciClient;
import soko.acquisition.oci.OciSettings;
import soko.acquisition.oci.RegistryCredential;
import soko.manifest.SourceUri;
import soko.testkit.http.Fault;
import soko.testkit.http.FaultServer;
import soko.verification.Hashing;

/**
 * The transport contract for registry blobs: every fault of the HTTP suite, served at {@code
 * /v2/soko/NAME/blobs/sha256:HEX} of a plain-http registry on loopback that asks for Basic
 * credentials when told to. A blob's digest is its validator: no If-Range is sent.
 */
class RegistryTransportContractTest extends TransportContractTest {
  @Override
  Map<SourceUri.Kind, Transport> transports(DownloadSettings settings) {
    String registry = "127.0.0.1:" + server.port();
    OciSettings oci = OciSettings.defaults().withInsecure(Set.of(registry))
        .withCredentials(Credentials.of(Map.of(registry, new RegistryCredential.Basic("soko", "secret"))));
    return Map.of(SourceUri.Kind.OCI, new OciClient(oci, new Connector(settings.http())).blobTransport());
  }

  @Override
  String route(String name, byte[] bytes) {
    return "/v2/soko/" + name + "/blobs/" + Hashing.sha256(bytes);
  }

  @Override
  URI source(String name, byte[] bytes) {
    return URI.create("oci://127.0.0.1:" + server.port() + "/soko/" + name + "@" + Hashing.sha256(bytes));
  }

  @Override
  boolean sendsValidators() {
    return false;
  }

  @Override
  String notFoundAdvice() {
    return "the registry does not have this blob; the artifact is incomplete, push it again";
  }

  @Override
  void demandCredentials(FaultServer.Route route) {
    route.then(new Fault.Unauthorized("Basic realm=\"test registry\""));
  }

  @Override
  Optional<String> authorization() {
    return Optional.of("Basic " + Base64.getEncoder().encodeToString("soko:secret".getBytes(StandardCharsets.UTF_8)));
  }
}
