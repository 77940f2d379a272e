package soko.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An installed model with the state of each file. */
public record ModelCheck(InstalledModel model, List<FileCheck> files) {
  public ModelCheck {
    files = List.copyOf(files);
  }

  /** The worst file state. */
  public FileState state() {
    FileState s = FileState.VERIFIED;
    for (FileCheck f : files) {
      s = s.worse(f.state());
    }
    return s;
  }

  /** When the least recently verified file was verified, if all were. */
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

  public List<String> problems() {
    return files.stream().flatMap(f -> f.problem().stream()).toList();
  }

  /**
   * What went wrong without changing any file's state, one line each: such as a verification that
   * could not be recorded on a full disk. Never a reason to refuse the model.
   */
  public List<String> warnings() {
    return files.stream().flatMap(f -> f.warning().stream()).toList();
  }
}
