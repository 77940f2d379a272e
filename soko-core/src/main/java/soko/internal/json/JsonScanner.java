package soko.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The tokens of {@link StrictParser}: a cursor over UTF-8 bytes that reads literals, numbers and
 * strings (decoding escapes and UTF-8, refusing overlong, surrogate and out-of-range forms), skips
 * white space, and tells the line and column of a syntax error. Not thread-safe: one per document.
 */
final class JsonScanner {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final byte[] in;
  private int pos;
  private int line = 1;
  private int lineStart;
  private final StringBuilder text = new StringBuilder();

  JsonScanner(byte[] in) {
    this.in = in;
    if (in.length >= 3 && (in[0] & 0xff) == 0xef && (in[1] & 0xff) == 0xbb && (in[2] & 0xff) == 0xbf) {
      pos = 3; // a UTF-8 byte order mark, as some editors save it (RFC 8259 lets a parser ignore it)
      lineStart = 3;
    }
  }

  /** Whether the whole input is read. */
  boolean atEnd() {
    return pos >= in.length;
  }

  int position() {
    return pos;
  }

  /** Moves back to {@code position}, to point an error at an earlier token. */
  void rewind(int position) {
    pos = position;
  }

  /** Steps over the current byte, a structural character that {@link #peek} returned. */
  void advance() {
    pos++;
  }

  void literal(String word) throws StrictParser.SyntaxError {
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

  JsonNode number() throws StrictParser.SyntaxError {
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
    if (length > StrictParser.MAX_NUMBER_LENGTH) {
      throw new StrictParser.SyntaxError("number value length (" + length + ") exceeds the maximum allowed ("
          + StrictParser.MAX_NUMBER_LENGTH + ")", true);
    }
    String s = new String(in, start, length, StandardCharsets.US_ASCII);
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

  String string() throws StrictParser.SyntaxError {
    pos++; // the opening quote
    int start = pos;
    // Fast path: plain ASCII with no escapes.
    while (pos < in.length) {
      byte b = in[pos];
      if (b == '"') {
        String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
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
      if (text.length() > StrictParser.MAX_STRING_LENGTH) {
        checkLength(text.length());
      }
    }
  }

  private void checkLength(int length) throws StrictParser.SyntaxError {
    if (length > StrictParser.MAX_STRING_LENGTH) {
      throw new StrictParser.SyntaxError("string value length exceeds the maximum allowed (" + StrictParser.MAX_STRING_LENGTH + ")", true);
    }
  }

  private void escape() throws StrictParser.SyntaxError {
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
  private void utf8(int b) throws StrictParser.SyntaxError {
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

  void expect(char c, String what) throws StrictParser.SyntaxError {
    if (peek() != c) {
      throw error("unexpected " + describe() + "; expected " + what);
    }
    pos++;
  }

  byte peek() {
    return pos < in.length ? in[pos] : 0;
  }

  void skipSpace() {
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

  String describe() {
    if (pos >= in.length) {
      return "end of input";
    }
    int b = in[pos] & 0xff;
    if (b >= 0x21 && b < 0x7f) {
      return "character '" + (char) b + "'";
    }
    return "byte 0x" + Integer.toHexString(b);
  }

  StrictParser.SyntaxError error(String message) {
    return new StrictParser.SyntaxError("at line " + line + ", column " + (pos - lineStart + 1) + ": " + message, false);
  }
}
