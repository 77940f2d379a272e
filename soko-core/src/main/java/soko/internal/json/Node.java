package soko.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A JSON value with its pointer, and typed accessors that fail with a {@link JsonProblem} naming
 * that pointer and what would be valid.
 */
public final class Node {
  private final JsonNode json;
  private final String pointer;

  Node(JsonNode json, String pointer) {
    this.json = json;
    this.pointer = pointer;
  }

  /** Wraps a tree as a document root. */
  public static Node of(JsonNode root) {
    return new Node(root, "");
  }

  public String pointer() {
    return pointer;
  }

  public JsonNode raw() {
    return json;
  }

  public JsonProblem problem(String message) {
    return new JsonProblem(pointer, message);
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "something else";
    };
  }

  /** Requires an object whose keys all come from {@code allowed}. */
  public Node object(Set<String> allowed) throws JsonProblem {
    if (!json.isObject()) {
      throw problem("expected an object, found " + kind(json));
    }
    Iterator<String> names = json.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new JsonProblem(pointer + "/" + escape(name),
            "unknown field " + quote(name) + "; valid fields here are " + String.join(", ", sorted(allowed)));
      }
    }
    return this;
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }

  static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  /**
   * {@code s}, shortened, as a quoted literal for a one-line message about a document: quotes,
   * backslashes, line breaks and other control characters are escaped as in JSON ({@code \n},
   * <code>&#92;u001b</code>), so a value can neither end the message's line nor hide its reason.
   */
  public static String quote(String s) {
    String shown = shorten(s);
    StringBuilder sb = new StringBuilder(shown.length() + 2).append('"');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  public boolean has(String key) {
    return json.has(key);
  }

  /** A required member. */
  public Node get(String key) throws JsonProblem {
    JsonNode child = json.get(key);
    if (child == null) {
      throw new JsonProblem(pointer + "/" + escape(key), "is missing; it is required");
    }
    return new Node(child, pointer + "/" + escape(key));
  }

  public Optional<Node> opt(String key) {
    JsonNode child = json.get(key);
    return child == null ? Optional.empty() : Optional.of(new Node(child, pointer + "/" + escape(key)));
  }

  public String text() throws JsonProblem {
    if (!json.isTextual()) {
      throw problem("expected a string, found " + kind(json));
    }
    return json.textValue();
  }

  public boolean bool() throws JsonProblem {
    if (!json.isBoolean()) {
      throw problem("expected true or false, found " + kind(json));
    }
    return json.booleanValue();
  }

  /** An integer in [min, max]. */
  public long integer(long min, long max) throws JsonProblem {
    if (!json.isIntegralNumber()) {
      throw problem("expected a whole number from " + min + " to " + max + ", found "
          + (json.isNumber() ? "the fraction " + json.asText() : kind(json)));
    }
    BigInteger v = json.bigIntegerValue();
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw problem(v + " is out of range; expected a whole number from " + min + " to " + max);
    }
    return v.longValue();
  }

  public List<Node> array(int maxItems) throws JsonProblem {
    if (!json.isArray()) {
      throw problem("expected an array, found " + kind(json));
    }
    if (json.size() > maxItems) {
      throw problem("has " + json.size() + " items; at most " + maxItems + " are allowed");
    }
    List<Node> out = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      out.add(new Node(json.get(i), pointer + "/" + i));
    }
    return out;
  }

  /** Each member of an object, in document order. */
  public List<Member> members(int maxMembers) throws JsonProblem {
    if (!json.isObject()) {
      throw problem("expected an object, found " + kind(json));
    }
    if (json.size() > maxMembers) {
      throw problem("has " + json.size() + " members; at most " + maxMembers + " are allowed");
    }
    List<Member> out = new ArrayList<>(json.size());
    for (var e : json.properties()) {
      out.add(new Member(e.getKey(), new Node(e.getValue(), pointer + "/" + escape(e.getKey()))));
    }
    return out;
  }

  public record Member(String key, Node value) {}

  /** A mapping function that may throw a {@link JsonProblem}. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Node node) throws JsonProblem;
  }

  public <T> List<T> list(int maxItems, Reader<T> reader) throws JsonProblem {
    List<T> out = new ArrayList<>();
    for (Node n : array(maxItems)) {
      out.add(reader.read(n));
    }
    return List.copyOf(out);
  }

  /**
   * An ISO-8601 instant in UTC as {@link java.time.Instant#toString} writes it ({@code
   * 2026-11-29T02:18:09Z}, with up to nine fraction digits), read without {@code
   * DateTimeFormatter}, whose parsing costs a fresh process more than the rest of reading a
   * verification record; any other form goes through {@link java.time.Instant#parse}.
   */
  public java.time.Instant instant() throws JsonProblem {
    String s = text();
    java.time.Instant fast = Instants.parseCanonical(s);
    return fast != null ? fast : parse(java.time.Instant::parse, "an ISO-8601 instant such as 2026-11-29T02:18:09Z");
  }

  /** Applies a parser that throws IllegalArgumentException, mapping its message to this pointer. */
  public <T> T parse(Function<String, T> parser, String expected) throws JsonProblem {
    String s = text();
    try {
      return parser.apply(s);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw problem(quote(s) + " is not valid: " + e.getMessage() + "; expected " + expected);
    }
  }
}
