package soko.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * One place that turns untrusted bytes into a JSON tree, with limits: size, nesting depth, string
 * and number length, and duplicate keys refused; and that writes trees back as text.
 *
 * <p>Reading and writing use Soko's own {@link StrictParser} and {@link TreeWriter} rather than an
 * {@code ObjectMapper}: setting one up costs a fresh process about 70 ms (measured with JFR on
 * {@code soko verify NAME}, which took 0.28 s in all), more than the command's own work.
 */
public final class Json {
  /** Deeper than this is refused: no Soko document nests more than a few levels. */
  public static final int MAX_DEPTH = 32;

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /**
   * Parses a whole document.
   *
   * @param limit the largest accepted document in bytes
   * @param what names the document in messages, e.g. "manifest"
   */
  public static Node parse(byte[] bytes, long limit, String what) throws JsonProblem {
    if (bytes.length > limit) {
      throw new JsonProblem("", "the " + what + " is " + bytes.length + " bytes; the limit is " + limit
          + " bytes, so this is not a " + what);
    }
    JsonNode tree;
    try {
      tree = StrictParser.parse(bytes);
    } catch (StrictParser.SyntaxError e) {
      throw new JsonProblem("", e.isLimit()
          ? "the " + what + " breaks a limit: " + e.getMessage()
          : "the " + what + " is not valid JSON " + e.getMessage());
    }
    if (tree == null) {
      throw new JsonProblem("", "the " + what + " is empty; expected a JSON object");
    }
    return new Node(tree, "");
  }

  /** Serialises a tree with two-space indentation and a final newline; key order is insertion order. */
  public static byte[] write(JsonNode tree) {
    return text(tree).getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #write} as text, for printing (no round trip through bytes: diagnostics can be megabytes). */
  public static String text(JsonNode tree) {
    return TreeWriter.write(tree, true).concat("\n");
  }

  /** Serialises a tree on one line, without a final newline. */
  public static String writeLine(JsonNode tree) {
    return TreeWriter.write(tree, false);
  }
}
