package soko.manifest;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * A file's path inside a model: relative, '/'-separated, normalised, at most 255 characters, with
 * no {@code ..} or {@code .} segment, no empty segment, no backslash, no drive letter or ':', no
 * control character and no invisible character (bidi controls and other format characters, see
 * {@link Characters#invisible}), and no segment longer than {@value #MAX_SEGMENT_BYTES} UTF-8 bytes
 * (the longest file name Linux, macOS and Windows file systems store). Such a path can never
 * resolve outside the folder it is resolved against.
 *
 * <p>The value is in Unicode normalization form NFC: a path given in another form (such as the NFD
 * that macOS file systems report) is normalised when the path is made, because macOS treats both
 * spellings of {@code café} as one file, and a manifest must not be able to list one file twice.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the path in NFC, such as {@code weights/model.onnx}
 */
public record RelativePath(String value) {
  /** The longest path, in characters. */
  public static final int MAX_LENGTH = 255;
  /** The longest path segment in UTF-8 bytes: NAME_MAX on Linux and macOS. */
  public static final int MAX_SEGMENT_BYTES = 255;

  /** Names Windows reserves for devices, whatever the extension. */
  private static final java.util.Set<String> RESERVED = java.util.Set.of("CON", "PRN", "AUX", "NUL",
      "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
      "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  /**
   * Normalises the path to NFC and checks it.
   *
   * @throws IllegalArgumentException if the path breaks a rule above (the message says which, and
   *     how to write it instead)
   */
  public RelativePath {
    if (value != null && !Normalizer.isNormalized(value, Normalizer.Form.NFC)) {
      value = Normalizer.normalize(value, Normalizer.Form.NFC);
    }
    String why = problem(value);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
  }

  /**
   * Reads a path.
   *
   * @param s a relative, '/'-separated path in any Unicode normalization form
   * @return the path, in NFC
   * @throws IllegalArgumentException if the path breaks a rule above
   */
  public static RelativePath parse(String s) {
    return new RelativePath(s);
  }

  /** Why {@code s} (already in NFC) is not a valid relative path, or null when it is. */
  static String problem(String s) {
    if (s == null || s.isEmpty()) {
      return "the path is empty";
    }
    if (s.length() > MAX_LENGTH) {
      return "the path has " + s.length() + " characters; at most " + MAX_LENGTH + " are allowed";
    }
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        return "the path has a control character at index " + i;
      }
      if (Characters.invisible(c) || Characters.loneSurrogate(s, i)) {
        return "the path has the invisible character " + Characters.codePoint(c) + " at index " + i
            + " (a bidi control or format character, which can make a name display as another)";
      }
      if (c == '\\') {
        return "the path has a backslash; separate folders with '/'";
      }
      if (c == ':') {
        return "the path has a ':' (a drive letter or stream name); use a plain relative path";
      }
      i += Character.charCount(c);
    }
    if (s.startsWith("/")) {
      return "the path is absolute; use a path relative to the model, like weights/model.onnx";
    }
    if (s.endsWith("/")) {
      return "the path ends with '/'; name a file, not a folder";
    }
    for (String seg : s.split("/", -1)) {
      if (seg.isEmpty()) {
        return "the path has an empty segment ('//')";
      }
      if (seg.equals("..")) {
        return "the path climbs out of the model with '..'";
      }
      if (seg.equals(".")) {
        return "the path has a '.' segment; write it normalised";
      }
      if (seg.endsWith(".") || seg.endsWith(" ")) {
        return "a path segment ends with '.' or a space, which Windows cannot store";
      }
      int bytes = seg.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_SEGMENT_BYTES) {
        return "a path segment is " + bytes + " bytes long in UTF-8; file systems store at most " + MAX_SEGMENT_BYTES
            + " bytes per name, so shorten it";
      }
      int dot = seg.indexOf('.');
      String base = (dot < 0 ? seg : seg.substring(0, dot)).toUpperCase(Locale.ROOT);
      if (base.length() <= 4 && RESERVED.contains(base)) {
        return "the path uses the reserved Windows name " + seg;
      }
    }
    return null;
  }

  /**
   * The key under which paths must be unique: paths that differ only in case collide on macOS and
   * Windows (and the value is already NFC, so paths that differ only in normalization have the same
   * key too). Each code point is folded on its own, as those file systems do.
   *
   * @return the value with each code point folded to lower case; for comparison only, never a path
   */
  public String caseFoldKey() {
    StringBuilder sb = new StringBuilder(value.length());
    value.codePoints().forEach(c -> sb.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return sb.toString();
  }

  /**
   * The file's name.
   *
   * @return the last segment, such as {@code model.onnx}
   */
  public String fileName() {
    int i = value.lastIndexOf('/');
    return i < 0 ? value : value.substring(i + 1);
  }

  /**
   * The path as written.
   *
   * @return {@link #value()}
   */
  @Override
  public String toString() {
    return value;
  }
}
