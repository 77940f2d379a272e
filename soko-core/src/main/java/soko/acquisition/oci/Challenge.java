package soko.acquisition.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One authentication challenge from a {@code WWW-Authenticate} header (RFC 7235 §4.1): a scheme,
 * lower-cased, and its parameters with lower-cased names. A token68 value is kept under the empty
 * name.
 */
record Challenge(String scheme, Map<String, String> params) {
  Challenge {
    params = Map.copyOf(params);
  }

  Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** Parses every challenge in every given header value; malformed trailing parts are dropped. */
  static List<Challenge> parseAll(List<String> headerValues) {
    List<Challenge> out = new ArrayList<>();
    for (String h : headerValues) {
      out.addAll(parse(h));
    }
    return out;
  }

  /**
   * Parses one header value, which may hold several challenges:
   * {@code Bearer realm="a,b", scope="x y", Basic realm="r"}.
   */
  static List<Challenge> parse(String header) {
    List<Challenge> out = new ArrayList<>();
    Lexer lx = new Lexer(header);
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      lx.skipSpaceAndCommas();
      if (lx.done()) {
        break;
      }
      int mark = lx.pos;
      String token = lx.token();
      if (token.isEmpty()) {
        lx.pos++;
        continue;
      }
      lx.skipSpace();
      if (!lx.done() && lx.peek() == '=' && scheme != null && !lx.isToken68End()) {
        lx.pos++;
        lx.skipSpace();
        String value = !lx.done() && lx.peek() == '"' ? lx.quoted() : lx.token();
        params.put(token.toLowerCase(Locale.ROOT), value);
        continue;
      }
      if (scheme != null && !lx.done() && lx.peek() == '=' ) {
        // token68 such as "Basic dXNlcjpw==": consume the trailing '='s.
        while (!lx.done() && lx.peek() == '=') {
          lx.pos++;
        }
        params.put("", header.substring(mark, lx.pos));
        continue;
      }
      if (scheme != null) {
        out.add(new Challenge(scheme, params));
        params = new LinkedHashMap<>();
      }
      scheme = token.toLowerCase(Locale.ROOT);
    }
    if (scheme != null) {
      out.add(new Challenge(scheme, params));
    }
    return out;
  }

  private static final class Lexer {
    private final String s;
    int pos;

    Lexer(String s) {
      this.s = s;
    }

    boolean done() {
      return pos >= s.length();
    }

    char peek() {
      return s.charAt(pos);
    }

    void skipSpace() {
      while (!done() && (peek() == ' ' || peek() == '\t')) {
        pos++;
      }
    }

    void skipSpaceAndCommas() {
      while (!done() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
        pos++;
      }
    }

    /** True when the '=' at pos is followed by more '=' or by the end/comma: a token68 tail, not a parameter. */
    boolean isToken68End() {
      int i = pos + 1;
      while (i < s.length() && s.charAt(i) == '=') {
        i++;
      }
      if (i > pos + 1) {
        return true;
      }
      int j = i;
      while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
        j++;
      }
      return j >= s.length() || s.charAt(j) == ',';
    }

    String token() {
      int start = pos;
      while (!done() && isTchar(peek())) {
        pos++;
      }
      return s.substring(start, pos);
    }

    String quoted() {
      StringBuilder sb = new StringBuilder();
      pos++;
      while (!done()) {
        char c = s.charAt(pos++);
        if (c == '\\' && !done()) {
          sb.append(s.charAt(pos++));
        } else if (c == '"') {
          return sb.toString();
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }

    private static boolean isTchar(char c) {
      return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0 || c == '/' || c == ':' || c == '+';
    }
  }
}
