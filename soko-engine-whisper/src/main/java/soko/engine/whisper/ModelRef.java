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

  String refusal(String reason) {
    return "whisper.cpp refused model " + id + ": " + fileName() + " is not a whisper.cpp ggml model ("
        + reason + "); reinstall the model";
  }

  String mismatch(String reason) {
    return "whisper.cpp refused model " + id + ": " + fileName() + " does not match its manifest (" + reason
        + "); reinstall the model, or correct the manifest's whisper.cpp annotations";
  }

  String badManifest(String reason) {
    return "whisper.cpp refused model " + id + ": " + reason + "; correct the manifest's whisper.cpp annotations";
  }

  String loadFailure(String reason) {
    return "whisper.cpp could not load model " + id + " from " + fileName() + ": " + reason + "; reinstall the model";
  }
}
