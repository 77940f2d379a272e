package soko.engine.onnx.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses untrusted JSON into a tree of {@link Node}s. Strict RFC 8259: malformed UTF-8, control
 * characters in strings, lone surrogates in escapes, duplicate keys, leading zeros, trailing commas
 * and anything after the document are refused; one leading UTF-8 byte order mark is skipped.
 * Limits: the caller's byte limit, {@value #MAX_DEPTH} levels of nesting, numbers of at most
 * {@value #MAX_NUMBER_LENGTH} characters.
 */
public final class Json {
  public static final int MAX_DEPTH = 64;
  public static final int MAX_NUMBER_LENGTH = 64;

  /** The JSON literal null. */
  enum Null { NULL }

  /** A number as written, converted on demand. */
  record Number(String text) {}

  private final String in;
  private final String document;
  private int pos;

  private Json(String in, String document) {
    this.in = in;
    this.document = document;
  }

  /**
   * Parses a whole document.
   *
   * @param limit the largest accepted document in bytes
   * @param document the document's name in messages, such as {@code tokenizer.json}
   * @throws JsonFormatException when the bytes are over the limit or not one valid JSON value
   */
  public static Node parse(byte[] bytes, long limit, String document) throws JsonFormatException {
    if (bytes.length > limit) {
      throw new JsonFormatException(document, "", "the file is " + bytes.length + " bytes; a " + document
          + " is at most " + limit + " bytes, so this is not one");
    }
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
    String text;
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, start, bytes.length - start));
      text = chars.toString();
    } catch (CharacterCodingException e) {
      throw new JsonFormatException(document, "", "the file is not valid UTF-8 text, so it is not JSON");
    }
    Json p = new Json(text, document);
    p.space();
    if (p.pos == text.length()) {
      throw new JsonFormatException(document, "", "the file is empty; expected a JSON value");
    }
    Object root = p.value(0);
    p.space();
    if (p.pos != text.length()) {
      throw p.syntax("unexpected " + p.describe() + " after the end of the document");
    }
    return new Node(root, "", document);
  }

  private JsonFormatException syntax(String message) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < pos && i < in.length(); i++) {
      if (in.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new JsonFormatException(document, "", "not valid JSON at line " + line + ", column " + column + ": "
        + message);
  }

  private String describe() {
    if (pos >= in.length()) {
      return "end of file";
    }
    int c = in.codePointAt(pos);
    return c < 0x20 ? String.format("control character U+%04X", c) : "'" + Character.toString(c) + "'";
  }

  private void space() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private Object value(int depth) throws JsonFormatException {
    if (depth >= MAX_DEPTH) {
      throw syntax("the document nests deeper than " + MAX_DEPTH + " levels");
    }
    if (pos >= in.length()) {
      throw syntax("the document ends where a value was expected");
    }
    char c = in.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", Null.NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw syntax("unexpected " + describe() + " where a value was expected");
      }
    };
  }

  private Object literal(String word, Object value) throws JsonFormatException {
    if (!in.startsWith(word, pos)) {
      throw syntax("unexpected " + describe() + " where a value was expected");
    }
    pos += word.length();
    return value;
  }

  private Map<String, Object> object(int depth) throws JsonFormatException {
    pos++;
    Map<String, Object> members = new LinkedHashMap<>();
    space();
    if (pos < in.length() && in.charAt(pos) == '}') {
      pos++;
      return members;
    }
    while (true) {
      space();
      if (pos >= in.length() || in.charAt(pos) != '"') {
        throw syntax("unexpected " + describe() + " where a member name was expected");
      }
      int at = pos;
      String key = string();
      space();
      if (pos >= in.length() || in.charAt(pos) != ':') {
        throw syntax("unexpected " + describe() + " where ':' was expected");
      }
      pos++;
      space();
      Object v = value(depth + 1);
      if (members.putIfAbsent(key, v) != null) {
        pos = at;
        throw syntax("the member \"" + Node.shorten(key) + "\" appears twice in one object");
      }
      space();
      if (pos < in.length() && in.charAt(pos) == ',') {
        pos++;
        continue;
      }
      if (pos < in.length() && in.charAt(pos) == '}') {
        pos++;
        return members;
      }
      throw syntax("unexpected " + describe() + " where ',' or '}' was expected");
    }
  }

  private List<Object> array(int depth) throws JsonFormatException {
    pos++;
    List<Object> items = new ArrayList<>();
    space();
    if (pos < in.length() && in.charAt(pos) == ']') {
      pos++;
      return items;
    }
    while (true) {
      space();
      items.add(value(depth + 1));
      space();
      if (pos < in.length() && in.charAt(pos) == ',') {
        pos++;
        continue;
      }
      if (pos < in.length() && in.charAt(pos) == ']') {
        pos++;
        return items;
      }
      throw syntax("unexpected " + describe() + " where ',' or ']' was expected");
    }
  }

  private String string() throws JsonFormatException {
    pos++; // the opening quote
    StringBuilder sb = null;
    int runStart = pos;
    while (true) {
      if (pos >= in.length()) {
        throw syntax("a string is not closed before the end of the file");
      }
      char c = in.charAt(pos);
      if (c == '"') {
        String s = sb == null ? in.substring(runStart, pos) : sb.append(in, runStart, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw syntax("unescaped " + describe() + " in a string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(in, runStart, pos);
      pos++;
      if (pos >= in.length()) {
        throw syntax("a string is not closed before the end of the file");
      }
      char e = in.charAt(pos++);
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          char u = hex4();
          if (Character.isHighSurrogate(u)) {
            if (!in.startsWith("\\u", pos)) {
              throw syntax("a \\u escape holds a lone surrogate");
            }
            pos += 2;
            char low = hex4();
            if (!Character.isLowSurrogate(low)) {
              throw syntax("a \\u escape holds a lone surrogate");
            }
            sb.append(u).append(low);
          } else if (Character.isLowSurrogate(u)) {
            throw syntax("a \\u escape holds a lone surrogate");
          } else {
            sb.append(u);
          }
        }
        default -> {
          pos--;
          throw syntax("unknown escape \\" + describe().replace("'", ""));
        }
      }
      runStart = pos;
    }
  }

  private char hex4() throws JsonFormatException {
    if (pos + 4 > in.length()) {
      throw syntax("a \\u escape is cut short");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(in.charAt(pos + i), 16);
      if (d < 0) {
        throw syntax("a \\u escape needs four hexadecimal digits");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private Number number() throws JsonFormatException {
    int start = pos;
    if (in.charAt(pos) == '-') {
      pos++;
    }
    if (pos >= in.length() || !digit(in.charAt(pos))) {
      throw syntax("a number needs a digit after '-'");
    }
    if (in.charAt(pos) == '0') {
      pos++;
      if (pos < in.length() && digit(in.charAt(pos))) {
        throw syntax("a number has a leading zero");
      }
    } else {
      digits();
    }
    if (pos < in.length() && in.charAt(pos) == '.') {
      pos++;
      if (pos >= in.length() || !digit(in.charAt(pos))) {
        throw syntax("a number needs digits after '.'");
      }
      digits();
    }
    if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
      pos++;
      if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
        pos++;
      }
      if (pos >= in.length() || !digit(in.charAt(pos))) {
        throw syntax("a number needs digits in its exponent");
      }
      digits();
    }
    if (pos - start > MAX_NUMBER_LENGTH) {
      pos = start;
      throw syntax("a number is longer than " + MAX_NUMBER_LENGTH + " characters");
    }
    return new Number(in.substring(start, pos));
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  private void digits() {
    while (pos < in.length() && digit(in.charAt(pos))) {
      pos++;
    }
  }
}
