package soko.engine.phrasebook;

import java.util.List;
import java.util.Optional;

/**
 * The phrases of one language pair and the lookup over them. Immutable and thread-safe.
 *
 * <p>A translation, step by step:
 *
 * <ol>
 *   <li>the text is normalised ({@link PhraseFile#normalise}: NFKC, white space collapsed, trimmed);
 *   <li>from the left, the longest phrase that starts at the current position is taken (spaces
 *       inside a phrase are optional, and {@link Segmentation} says where a phrase may start);
 *   <li>where no phrase starts, ASCII digits (after NFKC, full-width digits too) are copied as a
 *       number, punctuation is mapped ({@link Punctuation}: 。→. 、→, ！→! ？→?), and anything else is
 *       untranslated: it is copied, as normalised, inside ⟨…⟩, neighbouring unknown words sharing
 *       one pair of brackets;
 *   <li>the English is joined with single spaces and each sentence starts with a capital letter.
 * </ol>
 *
 * The same input always gives the same output.
 */
final class Phrasebook {
  private final PhraseTrie phrases;
  private final Segmentation segmentation;

  Phrasebook(PhraseTrie phrases, Segmentation segmentation) {
    this.phrases = phrases;
    this.segmentation = segmentation;
  }

  int size() {
    return phrases.size();
  }

  String translate(String source) {
    int[] text = PhraseFile.normalise(source).codePoints().toArray();
    EnglishWriter out = new EnglishWriter();
    int lastPhraseEnd = -1;
    int i = 0;
    while (i < text.length) {
      int c = text[i];
      if (c == ' ') {
        out.space();
        i++;
        continue;
      }
      if (segmentation == Segmentation.CHARACTERS || isWordBoundary(text, i) || i == lastPhraseEnd) {
        Optional<PhraseTrie.Match> m = longestAt(text, i);
        if (m.isPresent()) {
          out.phrase(m.get().english());
          i = m.get().end();
          lastPhraseEnd = i;
          continue;
        }
      }
      if (isDigit(c)) {
        int end = numberEnd(text, i);
        out.number(new String(text, i, end - i));
        i = end;
        lastPhraseEnd = i;
        continue;
      }
      Optional<Punctuation> p = Punctuation.of(c);
      if (p.isPresent()) {
        out.punctuation(p.get());
        i++;
        continue;
      }
      int end = segmentation == Segmentation.WORDS ? nextWordBoundary(text, i) : i + 1;
      out.unknown(new String(text, i, end - i));
      i = end;
    }
    return out.finish();
  }

  private Optional<PhraseTrie.Match> longestAt(int[] text, int start) {
    List<PhraseTrie.Match> found = phrases.matchesAt(text, start);
    for (int k = found.size() - 1; k >= 0; k--) {
      PhraseTrie.Match m = found.get(k);
      if (segmentation == Segmentation.CHARACTERS || m.length() > 1
          || (isWordBoundary(text, m.start()) && isWordBoundary(text, m.end()))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** True between two code points that are not both hangul, and at either end of the text. */
  private static boolean isWordBoundary(int[] text, int i) {
    return i == 0 || i == text.length || !isHangul(text[i - 1]) || !isHangul(text[i]);
  }

  private static int nextWordBoundary(int[] text, int i) {
    int j = i + 1;
    while (!isWordBoundary(text, j)) {
      j++;
    }
    return j;
  }

  private static boolean isHangul(int c) {
    return Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The end of a number such as 3, 1,000 or 2.5: digits, with single '.' or ',' between digits. */
  private static int numberEnd(int[] text, int i) {
    int j = i;
    while (j < text.length) {
      if (isDigit(text[j])) {
        j++;
      } else if ((text[j] == '.' || text[j] == ',') && j + 1 < text.length && isDigit(text[j + 1])) {
        j += 2;
      } else {
        break;
      }
    }
    return j;
  }
}
