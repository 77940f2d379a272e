package soko.acquisition.oci;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import soko.acquisition.AcquisitionException;
import soko.acquisition.DownloadSettings;
import soko.acquisition.Downloader;
import soko.events.ProgressListener;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.verification.Digest;

/** Pulls one blob the way Soko does: through the one downloader and the client's blob transport. */
final class Blobs {
  private Blobs() {}

  /** The blob's {@code oci://} source. */
  static URI source(OciReference ref, Digest digest) {
    return URI.create("oci://" + ref.registry() + "/" + ref.repository() + "@" + digest);
  }

  /** Fetches blob {@code digest} of {@code ref}'s repository into {@code downloads} (one attempt) and returns the verified file. */
  static Path fetch(OciClient client, OciReference ref, Digest digest, long size, Path downloads) throws AcquisitionException {
    ModelFile f = new ModelFile(RelativePath.parse("blob"), size, digest, List.of(new SourceUri(source(ref, digest))));
    return new Downloader(downloads, DownloadSettings.DEFAULTS.withRetries(1, Duration.ZERO, Duration.ZERO),
        InstantSource.system(), Map.of(SourceUri.Kind.OCI, client.blobTransport())).fetch(f, ProgressListener.NONE);
  }
}
