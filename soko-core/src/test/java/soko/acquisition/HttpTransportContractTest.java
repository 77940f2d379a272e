package soko.acquisition;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import soko.manifest.SourceUri;
import soko.testkit.http.FaultServer;

/** The transport contract for http(s) mirrors: plain URLs, validators in If-Range, no credentials. */
class HttpTransportContractTest extends TransportContractTest {
  @Override
  Map<SourceUri.Kind, Transport> transports(DownloadSettings settings) {
    return Map.of(SourceUri.Kind.HTTP, Downloader.http(new Connector(settings.http()), settings));
  }

  @Override
  String route(String name, byte[] bytes) {
    return "/" + name + ".bin";
  }

  @Override
  URI source(String name, byte[] bytes) {
    return server.uri(route(name, bytes));
  }

  @Override
  boolean sendsValidators() {
    return true;
  }

  @Override
  String notFoundAdvice() {
    return "the file is not at this URL; fix the manifest or use another source";
  }

  @Override
  void demandCredentials(FaultServer.Route route) {
    // Soko sends no credentials to mirrors.
  }

  @Override
  Optional<String> authorization() {
    return Optional.empty();
  }
}
