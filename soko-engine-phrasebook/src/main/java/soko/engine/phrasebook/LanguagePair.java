package soko.engine.phrasebook;

import soko.manifest.Language;

/** A translation direction, such as ja→en. */
record LanguagePair(Language from, Language to) {
  /** The model file holding this pair's phrases, such as {@code phrasebook-ja-en.tsv}. */
  String fileName() {
    return "phrasebook-" + from.code() + "-" + to.code() + ".tsv";
  }

  @Override
  public String toString() {
    return from.code() + "→" + to.code();
  }
}
