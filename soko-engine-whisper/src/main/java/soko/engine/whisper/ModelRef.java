package soko.engine.whisper;

import java.nio.file.Path;
import java.util.List;
import soko.model.VerifiedModel;
import soko.runtime.ModelUnavailableException;

/**
 * Which model a transcriber runs: the manifest id (name@version) for messages, its verified ggml
 * file, and the check that the files are still the ones that were verified (asked before every
 * launch of a child process, which opens the file again).
 */
record ModelRef(String id, Path file, VerifiedModel.StampCheck stamps) {
  /** Refuses to open the file again when it is no longer the one that was verified. */
  void requireUnchanged() throws ModelUnavailableException {
    List<String> changed = stamps.changedFiles();
    if (!changed.isEmpty()) {
      throw new ModelUnavailableException("model " + id + " changed since it was verified (" + String.join(", ", changed)
          + "); open the model again, so that Soko verifies it again (or run `soko verify --full`)");
    }
  }

  String fileName() {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  /** The model's name, for the commands a fix names. */
  String name() {
    int at = id.indexOf('@');
    return at < 0 ? id : id.substring(0, at);
  }

  /** The file's header disagrees with what its manifest's whisper.cpp annotations promise. */
  String mismatch(String reason) {
    return "whisper.cpp refused model " + id + ": " + fileName() + " does not match its manifest (" + reason
        + "); its sha256 matches, so the manifest's whisper.cpp annotations are wrong: correct them, or install"
        + " another model for this task";
  }

  String badManifest(String reason) {
    return "whisper.cpp refused model " + id + ": " + reason + "; correct the manifest's whisper.cpp annotations";
  }

  /**
   * The file is not a ggml model. It was verified against its manifest's sha256 before any engine
   * saw it, so reinstalling would fetch the same bytes: only another model helps.
   */
  String refusal(String reason) {
    return "whisper.cpp refused model " + id + ": " + fileName() + " is not a whisper.cpp ggml model (" + reason
        + "); it is the file its manifest names (its sha256 matches), so reinstalling would give the same bytes:"
        + " ask the model's publisher for a fixed version, or install another model for this task (`soko rm "
        + name() + "` removes this one)";
  }

  /** whisper.cpp (or reading the verified file) failed on a file whose header it accepted. */
  String loadFailure(String reason) {
    if (reason.startsWith(UNREADABLE)) {
      return "whisper.cpp could not load model " + id + " from " + fileName() + ": " + reason
          + "; run `soko verify --full " + name() + "` to check the file";
    }
    return "whisper.cpp could not load model " + id + " from " + fileName() + ": " + reason + "; it is the file its"
        + " manifest names (its sha256 matches), so reinstalling would not help: whisper.cpp may need more free memory,"
        + " or cannot run this kind of model; free memory, or install another model for this task";
  }

  /** How a failure to read the file starts, in this process and in the child. */
  static final String UNREADABLE = "could not read the file";
}
