package soko.app;

import java.io.IOException;
import java.util.Optional;
import soko.acquisition.Connector;
import soko.acquisition.Transport;
import soko.acquisition.oci.OciClient;
import soko.acquisition.oci.OciSettings;

/**
 * Registry blobs named by catalog manifests, read anonymously over https; the registry client is
 * made on first use (most commands never download).
 */
final class AnonymousRegistries implements Transport {
  private final Connector connector;
  private volatile Transport blobs;

  AnonymousRegistries(Connector connector) {
    this.connector = connector;
  }

  private Transport blobs() {
    Transport t = blobs;
    if (t == null) {
      t = new OciClient(OciSettings.defaults(), connector).blobTransport();
      blobs = t;
    }
    return t;
  }

  @Override
  public boolean contentAddressed() {
    return true;
  }

  @Override
  public soko.acquisition.HttpResponse get(Request request) throws IOException, soko.acquisition.TransferException {
    return blobs().get(request);
  }

  @Override
  public Optional<String> advice(int status) {
    return blobs().advice(status);
  }
}
