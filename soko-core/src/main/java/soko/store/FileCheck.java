package soko.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import soko.manifest.ModelFile;

/**
 * One file's state. Immutable and thread-safe.
 *
 * @param file the manifest's entry for the file
 * @param blob where the file's bytes are stored
 * @param state the file's state
 * @param verifiedAt when the file was last hashed (for a corrupt file, the hash that found it so);
 *     empty for a file not hashed since it last changed, and for a missing one
 * @param problem for corrupt and missing files, what is wrong, in one line
 * @param rehashed whether this check hashed the file (rather than trusting its record)
 * @param warning something that went wrong without changing the state, in one line: the check
 *     could not be recorded (a full disk), so the next check hashes the file again
 */
public record FileCheck(ModelFile file, Path blob, FileState state, Optional<Instant> verifiedAt,
    Optional<String> problem, boolean rehashed, Optional<String> warning) {
  /**
   * A check with no warning.
   *
   * @param file the manifest's entry for the file
   * @param blob where the file's bytes are stored
   * @param state the file's state
   * @param verifiedAt when the file was last hashed and matched
   * @param problem for corrupt and missing files, what is wrong
   * @param rehashed whether this check hashed the file
   */
  public FileCheck(ModelFile file, Path blob, FileState state, Optional<Instant> verifiedAt, Optional<String> problem,
      boolean rehashed) {
    this(file, blob, state, verifiedAt, problem, rehashed, Optional.empty());
  }
}
