package soko.engine.whisper;

/** A file is not a whisper.cpp ggml model. The message is one line that completes "the file ...". */
final class GgmlFormatException extends Exception {
  GgmlFormatException(String message) {
    super(message);
  }
}
