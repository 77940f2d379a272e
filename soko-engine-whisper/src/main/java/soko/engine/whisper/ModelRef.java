package soko.engine.whisper;

import java.nio.file.Path;

/**
 * Which model a transcriber runs, for messages: the manifest id (name@version) and its verified
 * ggml file.
 */
record ModelRef(String id, Path file) {
  String fileName() {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  String refusal(String reason) {
    return "whisper.cpp refused model " + id + ": " + fileName() + " is not a whisper.cpp ggml model ("
        + reason + "); reinstall the model";
  }

  String loadFailure(String reason) {
    return "whisper.cpp could not load model " + id + " from " + fileName() + ": " + reason + "; reinstall the model";
  }
}
