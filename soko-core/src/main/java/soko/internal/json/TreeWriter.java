package soko.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a tree as JSON text without an {@code ObjectMapper} (see {@link StrictParser} for why):
 * either indented by two spaces with {@code "key": value}, one member or item per line and empty
 * containers as {@code {}} and {@code []}, or on one line with no spaces. Escapes control
 * characters, quote and backslash, and any unpaired surrogate (so that text always survives UTF-8).
 */
final class TreeWriter {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final StringBuilder out;
  private final boolean pretty;

  private TreeWriter(StringBuilder out, boolean pretty) {
    this.out = out;
    this.pretty = pretty;
  }

  static String write(JsonNode tree, boolean pretty) {
    StringBuilder sb = new StringBuilder(tree.size() > 16 ? 64 * 1024 : 256);
    new TreeWriter(sb, pretty).value(tree, 0);
    return sb.toString();
  }

  private void value(JsonNode n, int depth) {
    switch (n.getNodeType()) {
      case OBJECT -> object(n, depth);
      case ARRAY -> array(n, depth);
      case STRING -> string(n.textValue());
      case NUMBER -> out.append(n.asText());
      case BOOLEAN -> out.append(n.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalStateException("cannot write a " + n.getNodeType() + " node as JSON");
    }
  }

  private void object(JsonNode n, int depth) {
    if (n.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
    boolean first = true;
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(depth + 1);
      string(e.getKey());
      out.append(pretty ? ": " : ":");
      value(e.getValue(), depth + 1);
    }
    newline(depth);
    out.append('}');
  }

  private void array(JsonNode n, int depth) {
    if (n.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    for (int i = 0; i < n.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      newline(depth + 1);
      value(n.get(i), depth + 1);
    }
    newline(depth);
    out.append(']');
  }

  private void newline(int depth) {
    if (pretty) {
      out.append('\n');
      for (int i = 0; i < depth; i++) {
        out.append("  ");
      }
    }
  }

  private void string(String s) {
    out.append('"');
    int len = s.length();
    int plain = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a valid pair: written as it is (UTF-8 when encoded)
        continue;
      }
      out.append(s, plain, i);
      plain = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        // Control characters, and a surrogate without its pair, which UTF-8 cannot encode.
        default -> out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      }
    }
    out.append(s, plain, len);
    out.append('"');
  }
}
