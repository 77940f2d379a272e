package soko.engine.onnx.sentencepiece;

/** A file is not a SentencePiece model this tokenizer can use; the message says what is wrong with it. */
public final class SentencePieceFormatException extends Exception {
  public SentencePieceFormatException(String message) {
    super(message);
  }

  public SentencePieceFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
