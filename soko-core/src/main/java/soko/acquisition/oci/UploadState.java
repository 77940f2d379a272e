package soko.acquisition.oci;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import com.fasterxml.jackson.databind.node.ObjectNode;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * A chunked upload in progress, persisted so a push can continue after the process dies. One file
 * per (registry, repository, blob), written atomically after every chunk:
 * <pre>{@code
 * <dir>/<sha256 of "registry/repository" (12 hex)>-<blob hex>.upload.json
 * {"registry":"127.0.0.1:5000","repository":"soko/m","digest":"sha256:…","location":"http://…/uploads/…?_state=…","offset":1048576}
 * }</pre>
 * The offset is only a hint: on resume the registry's upload status ({@code GET location}) is the truth.
 */
record UploadState(String registry, String repository, Digest digest, String location, long offset) {

  static Path file(Path dir, String registry, String repository, Digest digest) {
    String repoKey = Hashing.sha256((registry + "/" + repository).getBytes(StandardCharsets.UTF_8)).shortHex();
    return dir.resolve(repoKey + "-" + digest.hex() + ".upload.json");
  }

  static Optional<UploadState> load(Path dir, String registry, String repository, Digest digest) {
    Path f = file(dir, registry, repository, digest);
    try {
      Node n = Json.parse(Files.readAllBytes(f), 64 * 1024, "upload state");
      UploadState s = new UploadState(n.get("registry").text(), n.get("repository").text(),
          Digest.parse(n.get("digest").text()), n.get("location").text(), n.get("offset").integer(0, Long.MAX_VALUE));
      if (!s.registry.equals(registry) || !s.repository.equals(repository) || !s.digest.equals(digest)) {
        return Optional.empty();
      }
      return Optional.of(s);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | JsonProblem | IllegalArgumentException e) {
      // A torn or foreign file only costs a restart of this upload.
      return Optional.empty();
    }
  }

  void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode o = Json.object();
    o.put("registry", registry);
    o.put("repository", repository);
    o.put("digest", digest.toString());
    o.put("location", location);
    o.put("offset", offset);
    Path target = file(dir, registry, repository, digest);
    soko.internal.io.AtomicFiles.replace(target, Json.write(o));
  }

  static void delete(Path dir, String registry, String repository, Digest digest) throws IOException {
    Files.deleteIfExists(file(dir, registry, repository, digest));
  }
}
