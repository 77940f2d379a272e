package soko.engine.onnx.marian;

/** A model's files do not follow the Marian/Optimum export contract; the message names the file and the part. */
final class ModelFormatException extends Exception {
  ModelFormatException(String message) {
    super(message);
  }

  ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
