package soko.engine.onnx.json;

/**
 * A JSON document, or a value in it, is not what the reader expects. The message starts with the
 * document's name and the JSON pointer of the bad value, such as
 * {@code tokenizer.json /normalizer/type: "Lowercase2" is not a supported normalizer; …}.
 */
public final class JsonFormatException extends Exception {
  private final String document;
  private final String pointer;

  public JsonFormatException(String document, String pointer, String problem) {
    super(document + " " + (pointer.isEmpty() ? "/" : pointer) + ": " + problem);
    this.document = document;
    this.pointer = pointer;
  }

  /** The document's name, such as {@code tokenizer.json}. */
  public String document() {
    return document;
  }

  /** The JSON pointer of the bad value; {@code ""} is the whole document. */
  public String pointer() {
    return pointer;
  }
}
