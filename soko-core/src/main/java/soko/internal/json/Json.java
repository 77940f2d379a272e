package soko.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One place that turns untrusted bytes into a JSON tree, with limits: size, nesting depth, string
 * length, and duplicate keys refused.
 */
public final class Json {
  /** Deeper than this is refused: no Soko document nests more than a few levels. */
  public static final int MAX_DEPTH = 32;

  private static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  private static ObjectMapper newMapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(8 * 1024 * 1024)
            .maxNumberLength(40)
            .build())
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    mapper.enable(SerializationFeature.INDENT_OUTPUT);
    return mapper;
  }

  /** The shared mapper, for writing trees. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
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
    if (bytes.length == 0) {
      throw new JsonProblem("", "the " + what + " is empty; expected a JSON object");
    }
    try {
      JsonNode tree = MAPPER.readTree(bytes);
      if (tree == null || tree.isMissingNode()) {
        throw new JsonProblem("", "the " + what + " is empty; expected a JSON object");
      }
      return new Node(tree, "");
    } catch (StreamConstraintsException e) {
      throw new JsonProblem("", "the " + what + " breaks a limit: " + firstLine(e.getOriginalMessage()), e);
    } catch (JsonParseException e) {
      var loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new JsonProblem("", "the " + what + " is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new JsonProblem("", "the " + what + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static final com.fasterxml.jackson.core.util.DefaultPrettyPrinter PRETTY = prettyPrinter();

  private static com.fasterxml.jackson.core.util.DefaultPrettyPrinter prettyPrinter() {
    var indenter = new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n");
    var separators = com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator("");
    return new com.fasterxml.jackson.core.util.DefaultPrettyPrinter(separators)
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
  }

  /** Serialises a tree with two-space indentation and a final newline; key order is insertion order. */
  public static byte[] write(JsonNode tree) {
    try {
      byte[] body = MAPPER.writer(PRETTY).writeValueAsBytes(tree);
      byte[] out = new byte[body.length + 1];
      System.arraycopy(body, 0, out, 0, body.length);
      out[body.length] = '\n';
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON in memory failed", e);
    }
  }

  /** Serialises a tree on one line, without a final newline. */
  public static String writeLine(JsonNode tree) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON in memory failed", e);
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
