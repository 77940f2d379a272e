package soko.acquisition;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.verification.Hashing;

/** Test data: random bytes and the manifest entry that names them. */
final class Files4Test {
  private Files4Test() {}

  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static ModelFile modelFile(String path, byte[] content, URI... sources) {
    return new ModelFile(RelativePath.parse(path), content.length, Hashing.sha256(content),
        Arrays.stream(sources).map(SourceUri::new).toList());
  }

  static ModelFile modelFile(String path, long size, byte[] contentForDigest, List<URI> sources) {
    return new ModelFile(RelativePath.parse(path), size, Hashing.sha256(contentForDigest),
        sources.stream().map(SourceUri::new).toList());
  }
}
