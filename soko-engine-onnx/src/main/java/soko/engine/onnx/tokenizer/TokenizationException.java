package soko.engine.onnx.tokenizer;

/** Text cannot be tokenized with this tokenizer, such as a character a model without an unknown token lacks. */
public final class TokenizationException extends Exception {
  public TokenizationException(String message) {
    super(message);
  }
}
