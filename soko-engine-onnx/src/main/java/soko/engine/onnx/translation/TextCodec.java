package soko.engine.onnx.translation;

import java.util.Optional;
import soko.manifest.Language;

/**
 * Text to model ids and back for one model: the tokenizer plus the model family's conventions for
 * special tokens (Marian ends the input with eos; M2M100 and NLLB add the source language's token and
 * force the target language's token as the first output). Immutable and thread-safe.
 */
interface TextCodec {
  /**
   * The ids of a sentence's text, without special tokens. Special tokens written in the text are
   * read as ordinary text.
   *
   * @throws UnsupportedLanguageException when the text has a character the tokenizer cannot represent at all
   */
  int[] encodeText(String sentence) throws UnsupportedLanguageException;

  /**
   * The encoder input for text ids: the ids with the special tokens around them.
   *
   * @throws UnsupportedLanguageException when the model has no token for {@code from}
   */
  long[] wrap(int[] text, Language from) throws UnsupportedLanguageException;

  /** How many special tokens {@link #wrap} adds. */
  int specialTokenCount();

  /** The token to force right after the decoder start token, if the model wants one for {@code to}. */
  Optional<Integer> forcedFirstToken(Language to) throws UnsupportedLanguageException;

  /** The text of output ids, without special tokens, trimmed. */
  String decode(int[] output);

  /** The id unknown text gets, if the tokenizer has one. */
  java.util.OptionalInt unknownId();

  /** The encoder input for one sentence: {@link #wrap} of {@link #encodeText}. */
  default long[] encode(String sentence, Language from) throws UnsupportedLanguageException {
    return wrap(encodeText(sentence), from);
  }

  /** A language, or a character, the model has no token for. */
  final class UnsupportedLanguageException extends Exception {
    UnsupportedLanguageException(String message) {
      super(message);
    }
  }
}
