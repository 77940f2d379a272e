package soko.engine.phrasebook;

/**
 * Assembles the output: English phrases and numbers separated by single spaces, punctuation set
 * against its neighbour, untranslated text inside ⟨…⟩, and the first phrase of each sentence
 * capitalised. Not thread-safe: one per translation.
 */
final class EnglishWriter {
  private final StringBuilder out = new StringBuilder();
  /** Untranslated text not yet written, so that neighbouring unknown words share one ⟨…⟩. */
  private final StringBuilder unknown = new StringBuilder();
  private boolean spaceAfterUnknown;
  private boolean sentenceStart = true;
  private boolean attachNext;
  /** The last thing written was a phrase whose English already ends a sentence, like "really?". */
  private boolean afterFinishedPhrase;

  /** A space in the source. It only matters between two untranslated words. */
  void space() {
    if (!unknown.isEmpty()) {
      spaceAfterUnknown = true;
    }
  }

  /** Source text the phrasebook does not know, written through unchanged. */
  void unknown(String source) {
    if (spaceAfterUnknown) {
      unknown.append(' ');
      spaceAfterUnknown = false;
    }
    unknown.append(source);
  }

  void phrase(String english) {
    flushUnknown();
    word(sentenceStart ? capitalise(english) : english);
    boolean ends = english.endsWith(".") || english.endsWith("!") || english.endsWith("?");
    sentenceStart = ends;
    afterFinishedPhrase = ends;
  }

  /** Digits, which need no translation. */
  void number(String digits) {
    flushUnknown();
    word(digits);
    sentenceStart = false;
    afterFinishedPhrase = false;
  }

  void punctuation(Punctuation p) {
    flushUnknown();
    if (p.endsSentence && afterFinishedPhrase) {
      // 駅はどこですか？ → "where is the station?" already carries the question mark.
      return;
    }
    if (p.attach == Punctuation.Attach.RIGHT) {
      word(p.english);
      attachNext = true;
    } else {
      out.append(p.english);
      attachNext = false;
    }
    if (p.endsSentence) {
      sentenceStart = true;
    }
    afterFinishedPhrase = false;
  }

  String finish() {
    flushUnknown();
    return out.toString();
  }

  private void flushUnknown() {
    if (!unknown.isEmpty()) {
      word(PhrasebookEngine.UNTRANSLATED_OPEN + unknown + PhrasebookEngine.UNTRANSLATED_CLOSE);
      unknown.setLength(0);
      sentenceStart = false;
      afterFinishedPhrase = false;
    }
    spaceAfterUnknown = false;
  }

  private void word(String w) {
    if (!out.isEmpty() && !attachNext) {
      out.append(' ');
    }
    out.append(w);
    attachNext = false;
  }

  private static String capitalise(String english) {
    int first = english.codePointAt(0);
    return new StringBuilder(english.length()).appendCodePoint(Character.toUpperCase(first))
        .append(english, Character.charCount(first), english.length()).toString();
  }
}
