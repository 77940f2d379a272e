package soko.engine.phrasebook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import soko.runtime.EngineException;

/**
 * Reads a phrasebook file. The format, with {@code →} standing for one TAB:
 *
 * <pre>
 * # Comment lines start with '#'; empty lines are ignored. A header names the columns:
 * # source→english
 * おはようございます→good morning
 * 駅はどこですか→where is the station?
 * </pre>
 *
 * <p>UTF-8 (a leading byte order mark is skipped; CRLF line ends are accepted). Each entry line has
 * exactly two non-empty columns with no leading, trailing or repeated spaces. The source is
 * compared after NFKC normalisation and without its spaces, and must be unique under that
 * comparison. Any other line is refused with an error naming the file and the line.
 */
final class PhraseFile {
  private PhraseFile() {}

  /**
   * Reads the phrases of one file.
   *
   * @param name the file's manifest path, used in messages
   * @param modelId the model's id, used in messages
   * @throws EngineException if the file cannot be read or a line is malformed
   */
  static PhraseTrie read(Path file, String name, String modelId) throws EngineException {
    String where = "phrasebook file " + name + " of " + modelId;
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new EngineException("The " + where + " is not valid UTF-8; save it as UTF-8", e);
    } catch (IOException e) {
      throw new EngineException("Cannot read the " + where + " (" + e.getMessage() + "); run `soko verify` to check the model", e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    PhraseTrie.Builder phrases = new PhraseTrie.Builder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int lineNo = i + 1;
      String problem = problem(line);
      if (problem != null) {
        throw new EngineException("The " + where + ", line " + lineNo + ": " + problem);
      }
      String[] cols = line.split("\t", -1);
      OptionalInt earlier = phrases.add(PhraseTrie.key(normalise(cols[0])), cols[1], lineNo);
      if (earlier.isPresent()) {
        throw new EngineException("The " + where + ", line " + lineNo + ": the source \"" + cols[0]
            + "\" repeats line " + earlier.getAsInt() + "; keep one of them");
      }
    }
    if (phrases.size() == 0) {
      throw new EngineException("The " + where + " has no phrases; each entry line is source<TAB>english");
    }
    return phrases.build();
  }

  /** What is wrong with an entry line, or null if it is well formed. */
  static @Nullable String problem(String line) {
    String[] cols = line.split("\t", -1);
    if (cols.length == 1) {
      return "has no tab between the source and the English; write source<TAB>english";
    }
    if (cols.length > 2) {
      return "has " + (cols.length - 1) + " tabs; write source<TAB>english with exactly one tab";
    }
    String[] names = {"source", "English"};
    for (int c = 0; c < 2; c++) {
      String col = cols[c];
      if (col.isBlank()) {
        return "the " + names[c] + " column is empty";
      }
      if (!col.equals(col.strip()) || col.contains("  ") || col.chars().anyMatch(ch -> ch != ' ' && Character.isWhitespace(ch))) {
        return "the " + names[c] + " column \"" + col + "\" has leading, trailing, repeated or non-space white space";
      }
    }
    return null;
  }

  /**
   * The form phrases are matched in: NFKC (so full-width letters and digits, half-width katakana
   * and the ideographic space match their usual forms), with every run of white space turned into
   * one space, and no white space at either end.
   */
  static String normalise(String text) {
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder sb = new StringBuilder(nfkc.length());
    boolean space = false;
    for (int i = 0; i < nfkc.length(); ) {
      int cp = nfkc.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = true;
        continue;
      }
      if (space && !sb.isEmpty()) {
        sb.append(' ');
      }
      space = false;
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
