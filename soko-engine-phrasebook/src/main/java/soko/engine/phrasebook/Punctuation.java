package soko.engine.phrasebook;

import java.util.Optional;

/** Punctuation the phrasebook carries over into English, after NFKC normalisation of the source. */
enum Punctuation {
  FULL_STOP(".", Attach.LEFT, true),
  COMMA(",", Attach.LEFT, false),
  EXCLAMATION("!", Attach.LEFT, true),
  QUESTION("?", Attach.LEFT, true),
  COLON(":", Attach.LEFT, false),
  SEMICOLON(";", Attach.LEFT, false),
  ELLIPSIS("…", Attach.LEFT, false),
  OPEN_QUOTE("“", Attach.RIGHT, false),
  CLOSE_QUOTE("”", Attach.LEFT, false),
  OPEN_PAREN("(", Attach.RIGHT, false),
  CLOSE_PAREN(")", Attach.LEFT, false);

  /** Which neighbour the mark sits against without a space. */
  enum Attach { LEFT, RIGHT }

  final String english;
  final Attach attach;
  final boolean endsSentence;

  Punctuation(String english, Attach attach, boolean endsSentence) {
    this.english = english;
    this.attach = attach;
    this.endsSentence = endsSentence;
  }

  /** The English mark for a source character: 。→. 、→, 「→“ 」→” and so on; empty for anything else. */
  static Optional<Punctuation> of(int codePoint) {
    return Optional.ofNullable(switch (codePoint) {
      case '。', '.' -> FULL_STOP;
      case '、', ',' -> COMMA;
      case '!' -> EXCLAMATION;
      case '?' -> QUESTION;
      case ':' -> COLON;
      case ';' -> SEMICOLON;
      case '…' -> ELLIPSIS;
      case '「', '『', '“' -> OPEN_QUOTE;
      case '」', '』', '”' -> CLOSE_QUOTE;
      case '(' -> OPEN_PAREN;
      case ')' -> CLOSE_PAREN;
      default -> null;
    });
  }
}
