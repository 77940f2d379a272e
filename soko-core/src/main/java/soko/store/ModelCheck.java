package soko.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An installed model with the state of each file. Immutable and thread-safe.
 *
 * @param model the installed model
 * @param files one check per manifest file, in manifest order (copied)
 */
public record ModelCheck(InstalledModel model, List<FileCheck> files) {
  /** Copies the list. */
  public ModelCheck {
    files = List.copyOf(files);
  }

  /**
   * The model's overall state.
   *
   * @return the worst file state; {@link FileState#VERIFIED} for a model with no files checked
   */
  public FileState state() {
    FileState s = FileState.VERIFIED;
    for (FileCheck f : files) {
      s = s.worse(f.state());
    }
    return s;
  }

  /**
   * When the model was last wholly verified.
   *
   * @return when the least recently verified file was verified; empty when a file never was
   */
  public Optional<Instant> verifiedAt() {
    Instant oldest = null;
    for (FileCheck f : files) {
      if (f.verifiedAt().isEmpty()) {
        return Optional.empty();
      }
      if (oldest == null || f.verifiedAt().get().isBefore(oldest)) {
        oldest = f.verifiedAt().get();
      }
    }
    return Optional.ofNullable(oldest);
  }

  /**
   * What is wrong with the model.
   *
   * @return the corrupt and missing files' problems, one line each, in manifest order
   */
  public List<String> problems() {
    return files.stream().flatMap(f -> f.problem().stream()).toList();
  }

  /**
   * What went wrong without changing any file's state, one line each: such as a verification that
   * could not be recorded on a full disk. Never a reason to refuse the model.
   *
   * @return the warnings, in manifest order; usually empty
   */
  public List<String> warnings() {
    return files.stream().flatMap(f -> f.warning().stream()).toList();
  }
}
