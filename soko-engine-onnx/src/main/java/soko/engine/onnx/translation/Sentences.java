package soko.engine.onnx.translation;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into lines and lines into sentences, the units Marian models were trained on, and
 * joins translations back: sentences of one line with one space, lines with their original line
 * breaks, blank lines kept.
 *
 * <p>A sentence ends after a run of 。．！？!? (or '.' followed by a space or the end of the line)
 * plus any closing brackets or quotes, unless it is inside brackets: 「はい。」と言った。 is one sentence.
 */
final class Sentences {
  private static final String TERMINATORS = "。．！？!?｡";
  private static final String OPENERS = "「『（(【〔［[“‘《〈｢";
  private static final String CLOSERS = "」』）)】〕］]”’》〉｣\"'";

  private Sentences() {}

  /** One line: its sentences (possibly none) and the line break after it ("" for the last line). */
  record Line(List<String> sentences, String lineBreak) {
    Line {
      sentences = List.copyOf(sentences);
    }
  }

  static List<Line> split(String text) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        int end = i;
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        lines.add(new Line(sentences(text.substring(start, end)), text.substring(end, i + 1)));
        start = i + 1;
      }
    }
    lines.add(new Line(sentences(text.substring(start)), ""));
    return lines;
  }

  static List<String> sentences(String line) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (OPENERS.indexOf(c) >= 0) {
        depth++;
      } else if (CLOSERS.indexOf(c) >= 0 && depth > 0 && c != '"' && c != '\'') {
        depth--;
      }
      if (isTerminator(line, i) && depth == 0) {
        int end = i + 1;
        while (end < line.length() && (isTerminator(line, end) || line.charAt(end) == '.'
            || CLOSERS.indexOf(line.charAt(end)) >= 0)) {
          end++;
        }
        add(out, line.substring(start, end));
        start = end;
        i = end;
        continue;
      }
      i++;
    }
    add(out, line.substring(start));
    return out;
  }

  private static boolean isTerminator(String line, int i) {
    char c = line.charAt(i);
    if (TERMINATORS.indexOf(c) >= 0) {
      return true;
    }
    return c == '.' && (i + 1 == line.length() || Character.isWhitespace(line.charAt(i + 1)));
  }

  private static void add(List<String> out, String sentence) {
    String s = sentence.strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
  }
}
