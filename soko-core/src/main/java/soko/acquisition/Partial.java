package soko.acquisition;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import soko.verification.Digest;

/**
 * What the downloads folder holds for one sha256: a partial download (with its record), or a
 * complete verified file the caller has not yet moved into the store. Immutable.
 *
 * @param sha256 the digest the file should have, which names it in the downloads folder
 * @param bytes bytes held in the data file ({@code <sha256>.partial} or {@code <sha256>}): its length,
 *     or for a partial received as ranges (a sparse file) the bytes its ranges hold by its record
 * @param expectedSize the file's full size, when the record is readable or the file is complete
 * @param url the source the partial came from, when the record is readable
 * @param complete true for a complete verified file waiting to be published
 * @param files every file in the folder that belongs to this sha256 (copied)
 */
public record Partial(Digest sha256, long bytes, OptionalLong expectedSize, Optional<URI> url, boolean complete,
    List<Path> files) {
  /**
   * Checks the record and copies the list.
   *
   * @throws IllegalArgumentException if {@code bytes < 0}
   */
  public Partial {
    Objects.requireNonNull(sha256, "sha256");
    files = List.copyOf(files);
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes < 0");
    }
  }
}
