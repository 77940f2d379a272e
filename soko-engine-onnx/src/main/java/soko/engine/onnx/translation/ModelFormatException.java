package soko.engine.onnx.translation;

/** A model's files do not follow the Optimum export contract Soko runs; the message names the file and the part. */
final class ModelFormatException extends Exception {
  ModelFormatException(String message) {
    super(message);
  }

  ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
