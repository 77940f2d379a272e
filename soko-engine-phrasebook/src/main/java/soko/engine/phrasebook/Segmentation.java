package soko.engine.phrasebook;

/** Where in the source text a phrase may start and end. */
enum Segmentation {
  /**
   * Text without spaces between words (Japanese): a phrase may start at any character, and after
   * an unknown character the lookup tries again at the next one.
   */
  CHARACTERS,
  /**
   * Text with words of hangul separated by spaces (Korean). A phrase starts at the start of a word,
   * or where the previous phrase ended inside a word (so particles and run-together words still
   * match). A one-syllable phrase such as 물 (water) or 네 (yes) must be a whole word, so it never
   * matches inside a longer unknown word. After an unknown syllable the rest of its word is unknown.
   */
  WORDS
}
