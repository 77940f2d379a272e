package soko.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A strict RFC 8259 parser from UTF-8 bytes to a tree, written for start-up cost: it needs no
 * {@code ObjectMapper} (whose set-up costs a fresh process about 70 ms, more than reading a store's
 * manifests). Refuses duplicate keys, nesting deeper than {@link Json#MAX_DEPTH}, numbers longer
 * than 40 characters, strings longer than 8 MiB, malformed UTF-8, control characters in strings,
 * and anything after the document; one leading UTF-8 byte order mark is skipped. Integers become
 * {@code BigIntegerNode}s, fractions {@code DoubleNode}s. This class is the grammar of values,
 * objects and arrays; {@link JsonScanner} reads the tokens.
 */
final class StrictParser {
  static final int MAX_NUMBER_LENGTH = 40;
  static final int MAX_STRING_LENGTH = 8 * 1024 * 1024;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonScanner s;

  private StrictParser(byte[] in) {
    this.s = new JsonScanner(in);
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
    p.s.skipSpace();
    if (p.s.atEnd()) {
      return null;
    }
    JsonNode root = p.value(0);
    p.s.skipSpace();
    if (!p.s.atEnd()) {
      throw p.s.error("unexpected " + p.s.describe() + " after the end of the document");
    }
    return root;
  }

  private JsonNode value(int depth) throws SyntaxError {
    if (s.atEnd()) {
      throw s.error("the document ends where a value was expected");
    }
    byte b = s.peek();
    switch (b) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return NODES.textNode(s.string());
      case 't':
        s.literal("true");
        return NODES.booleanNode(true);
      case 'f':
        s.literal("false");
        return NODES.booleanNode(false);
      case 'n':
        s.literal("null");
        return NODES.nullNode();
      default:
        if (b == '-' || (b >= '0' && b <= '9')) {
          return s.number();
        }
        throw s.error("unexpected " + s.describe() + " where a value was expected");
    }
  }

  private ObjectNode object(int depth) throws SyntaxError {
    checkDepth(depth);
    s.advance();
    ObjectNode o = NODES.objectNode();
    s.skipSpace();
    if (s.peek() == '}') {
      s.advance();
      return o;
    }
    while (true) {
      s.skipSpace();
      if (s.peek() != '"') {
        throw s.error("unexpected " + s.describe() + " where a field name in double quotes was expected");
      }
      int keyAt = s.position();
      String key = s.string();
      if (o.has(key)) {
        s.rewind(keyAt);
        throw s.error("duplicate field \"" + Node.shorten(key) + "\"");
      }
      s.skipSpace();
      s.expect(':', "':' after a field name");
      s.skipSpace();
      o.set(key, value(depth));
      s.skipSpace();
      byte c = s.peek();
      if (c == ',') {
        s.advance();
      } else if (c == '}') {
        s.advance();
        return o;
      } else {
        throw s.error("unexpected " + s.describe() + " where ',' or '}' was expected");
      }
    }
  }

  private ArrayNode array(int depth) throws SyntaxError {
    checkDepth(depth);
    s.advance();
    ArrayNode a = NODES.arrayNode();
    s.skipSpace();
    if (s.peek() == ']') {
      s.advance();
      return a;
    }
    while (true) {
      s.skipSpace();
      a.add(value(depth));
      s.skipSpace();
      byte c = s.peek();
      if (c == ',') {
        s.advance();
      } else if (c == ']') {
        s.advance();
        return a;
      } else {
        throw s.error("unexpected " + s.describe() + " where ',' or ']' was expected");
      }
    }
  }

  private static void checkDepth(int depth) throws SyntaxError {
    if (depth > Json.MAX_DEPTH) {
      throw new SyntaxError("nesting depth (" + depth + ") exceeds the maximum allowed (" + Json.MAX_DEPTH + ")", true);
    }
  }
}
