package soko.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;

/**
 * A strict RFC 8259 parser from UTF-8 bytes to a tree, written for start-up cost: it needs no
 * {@code ObjectMapper} (whose set-up costs a fresh process about 70 ms, more than reading a store's
 * manifests). Refuses duplicate keys, nesting deeper than {@link Json#MAX_DEPTH}, numbers longer
 * than 40 characters, strings longer than 8 MiB, malformed UTF-8, control characters in strings,
 * and anything after the document; one leading UTF-8 byte order mark is skipped. Integers become
 * {@code BigIntegerNode}s, fractions {@code DoubleNode}s.
 */
final class StrictParser {
  static final int MAX_NUMBER_LENGTH = 40;
  static final int MAX_STRING_LENGTH = 8 * 1024 * 1024;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final byte[] in;
  private int pos;
  private int line = 1;
  private int lineStart;
  private final StringBuilder text = new StringBuilder();

  private StrictParser(byte[] in) {
    this.in = in;
  }

  /** A syntax error, with where it is. */
  static final class SyntaxError extends Exception {
    private final boolean limit;

    SyntaxError(String message, boolean limit) {
      super(message, null, false, false);
      this.limit = limit;
    }

    /** True when the document broke a size or depth limit rather than the grammar. */
    boolean isLimit() {
      return limit;
    }
  }

  /** Parses one whole document; blank input gives {@code null}. */
  static JsonNode parse(byte[] bytes) throws SyntaxError {
    StrictParser p = new StrictParser(bytes);
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
      p.pos = 3; // a UTF-8 byte order mark, as some editors save it (RFC 8259 lets a parser ignore it)
      p.lineStart = 3;
    }
    p.skipSpace();
    if (p.pos == bytes.length) {
      return null;
    }
    JsonNode root = p.value(0);
    p.skipSpace();
    if (p.pos != bytes.length) {
      throw p.error("unexpected " + p.describe() + " after the end of the document");
    }
    return root;
  }

  private JsonNode value(int depth) throws SyntaxError {
    if (pos >= in.length) {
      throw error("the document ends where a value was expected");
    }
    byte b = in[pos];
    switch (b) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return NODES.textNode(string());
      case 't':
        literal("true");
        return NODES.booleanNode(true);
      case 'f':
        literal("false");
        return NODES.booleanNode(false);
      case 'n':
        literal("null");
        return NODES.nullNode();
      default:
        if (b == '-' || (b >= '0' && b <= '9')) {
          return number();
        }
        throw error("unexpected " + describe() + " where a value was expected");
    }
  }

  private ObjectNode object(int depth) throws SyntaxError {
    checkDepth(depth);
    pos++;
    ObjectNode o = NODES.objectNode();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return o;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("unexpected " + describe() + " where a field name in double quotes was expected");
      }
      int keyAt = pos;
      String key = string();
      if (o.has(key)) {
        pos = keyAt;
        throw error("duplicate field \"" + Node.shorten(key) + "\"");
      }
      skipSpace();
      expect(':', "':' after a field name");
      skipSpace();
      o.set(key, value(depth));
      skipSpace();
      byte c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return o;
      } else {
        throw error("unexpected " + describe() + " where ',' or '}' was expected");
      }
    }
  }

  private ArrayNode array(int depth) throws SyntaxError {
    checkDepth(depth);
    pos++;
    ArrayNode a = NODES.arrayNode();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return a;
    }
    while (true) {
      skipSpace();
      a.add(value(depth));
      skipSpace();
      byte c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return a;
      } else {
        throw error("unexpected " + describe() + " where ',' or ']' was expected");
      }
    }
  }

  private void checkDepth(int depth) throws SyntaxError {
    if (depth > Json.MAX_DEPTH) {
      throw new SyntaxError("nesting depth (" + depth + ") exceeds the maximum allowed (" + Json.MAX_DEPTH + ")", true);
    }
  }

  private void literal(String word) throws SyntaxError {
    for (int i = 0; i < word.length(); i++) {
      if (pos + i >= in.length || in[pos + i] != word.charAt(i)) {
        throw error("unrecognised token; expected " + word);
      }
    }
    pos += word.length();
    if (pos < in.length && isWordByte(in[pos])) {
      throw error("unrecognised token; expected " + word);
    }
  }

  private static boolean isWordByte(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b < 0;
  }

  private JsonNode number() throws SyntaxError {
    int start = pos;
    boolean integral = true;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("leading zeros are not allowed in numbers");
      }
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("expected a digit after '-'");
    }
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) {
        throw error("expected a digit after the decimal point");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("expected a digit in the exponent");
      }
      digits();
    }
    if (pos < in.length && isWordByte(in[pos])) {
      throw error("unexpected " + describe() + " in a number");
    }
    int length = pos - start;
    if (length > MAX_NUMBER_LENGTH) {
      throw new SyntaxError("number value length (" + length + ") exceeds the maximum allowed ("
          + MAX_NUMBER_LENGTH + ")", true);
    }
    String s = new String(in, start, length, java.nio.charset.StandardCharsets.US_ASCII);
    if (integral) {
      return NODES.numberNode(new BigInteger(s));
    }
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) {
      throw error("the number " + s + " is too large");
    }
    return NODES.numberNode(d);
  }

  private void digits() {
    while (pos < in.length && isDigit(in[pos])) {
      pos++;
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private String string() throws SyntaxError {
    pos++; // the opening quote
    int start = pos;
    // Fast path: plain ASCII with no escapes.
    while (pos < in.length) {
      byte b = in[pos];
      if (b == '"') {
        String s = new String(in, start, pos - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        pos++;
        checkLength(s.length());
        return s;
      }
      if (b == '\\' || b < 0x20) {
        break;
      }
      pos++;
    }
    text.setLength(0);
    for (int i = start; i < pos; i++) {
      text.append((char) in[i]);
    }
    while (true) {
      if (pos >= in.length) {
        throw error("the document ends inside a string");
      }
      int b = in[pos] & 0xff;
      if (b == '"') {
        pos++;
        checkLength(text.length());
        return text.toString();
      }
      if (b == '\\') {
        escape();
      } else if (b < 0x20) {
        throw error("control character (code " + b + ") inside a string; it must be escaped");
      } else if (b < 0x80) {
        text.append((char) b);
        pos++;
      } else {
        utf8(b);
      }
      if (text.length() > MAX_STRING_LENGTH) {
        checkLength(text.length());
      }
    }
  }

  private void checkLength(int length) throws SyntaxError {
    if (length > MAX_STRING_LENGTH) {
      throw new SyntaxError("string value length exceeds the maximum allowed (" + MAX_STRING_LENGTH + ")", true);
    }
  }

  private void escape() throws SyntaxError {
    if (pos + 1 >= in.length) {
      throw error("the document ends inside an escape");
    }
    byte e = in[pos + 1];
    pos += 2;
    switch (e) {
      case '"' -> text.append('"');
      case '\\' -> text.append('\\');
      case '/' -> text.append('/');
      case 'b' -> text.append('\b');
      case 'f' -> text.append('\f');
      case 'n' -> text.append('\n');
      case 'r' -> text.append('\r');
      case 't' -> text.append('\t');
      case 'u' -> {
        int v = 0;
        for (int i = 0; i < 4; i++) {
          int d = pos < in.length ? Character.digit(in[pos], 16) : -1;
          if (d < 0) {
            throw error("expected four hex digits after \\u");
          }
          v = v * 16 + d;
          pos++;
        }
        text.append((char) v);
      }
      default -> {
        pos -= 1;
        throw error("unrecognised escape " + describe());
      }
    }
  }

  /** Decodes one UTF-8 sequence starting with {@code b}, refusing overlong, surrogate and out-of-range forms. */
  private void utf8(int b) throws SyntaxError {
    int need;
    int cp;
    int min;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      min = 0x10000;
    } else {
      throw error("invalid UTF-8 start byte 0x" + Integer.toHexString(b));
    }
    if (pos + need >= in.length) {
      throw error("the document ends inside a UTF-8 sequence");
    }
    for (int i = 1; i <= need; i++) {
      int c = in[pos + i] & 0xff;
      if ((c & 0xc0) != 0x80) {
        throw error("invalid UTF-8 continuation byte 0x" + Integer.toHexString(c));
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw error("invalid UTF-8 sequence");
    }
    pos += need + 1;
    text.appendCodePoint(cp);
  }

  private void expect(char c, String what) throws SyntaxError {
    if (peek() != c) {
      throw error("unexpected " + describe() + "; expected " + what);
    }
    pos++;
  }

  private byte peek() {
    return pos < in.length ? in[pos] : 0;
  }

  private void skipSpace() {
    while (pos < in.length) {
      byte b = in[pos];
      if (b == '\n') {
        line++;
        lineStart = pos + 1;
      } else if (b != ' ' && b != '\t' && b != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describe() {
    if (pos >= in.length) {
      return "end of input";
    }
    int b = in[pos] & 0xff;
    if (b >= 0x21 && b < 0x7f) {
      return "character '" + (char) b + "'";
    }
    return "byte 0x" + Integer.toHexString(b);
  }

  private SyntaxError error(String message) {
    return new SyntaxError("at line " + line + ", column " + (pos - lineStart + 1) + ": " + message, false);
  }
}
