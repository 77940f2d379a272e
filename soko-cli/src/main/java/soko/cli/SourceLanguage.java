package soko.cli;

import soko.manifest.Language;

/** The languages Soko transcribes and translates from, as picocli option values ({@code --lang}, {@code --from}). */
enum SourceLanguage {
  ja(Language.JA), ko(Language.KO);

  final Language language;

  SourceLanguage(Language language) {
    this.language = language;
  }
}
