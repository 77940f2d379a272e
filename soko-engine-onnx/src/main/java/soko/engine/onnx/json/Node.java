package soko.engine.onnx.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON value with its document name and pointer, and typed accessors that fail with a
 * {@link JsonFormatException} naming both and saying what would be valid. Immutable.
 */
public final class Node {
  private final Object value;
  private final String pointer;
  private final String document;

  Node(Object value, String pointer, String document) {
    this.value = value;
    this.pointer = pointer;
    this.document = document;
  }

  /** A member of an object, in document order. */
  public record Member(String key, Node value) {}

  public String pointer() {
    return pointer;
  }

  /** A problem with this value, for callers that check more than its type. */
  public JsonFormatException problem(String message) {
    return new JsonFormatException(document, pointer, message);
  }

  static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** What the value is, for messages: "an object", "a string", "null"… */
  public String kind() {
    return switch (value) {
      case Map<?, ?> _ -> "an object";
      case List<?> _ -> "an array";
      case String _ -> "a string";
      case Json.Number _ -> "a number";
      case Boolean _ -> "a boolean";
      default -> "null";
    };
  }

  public boolean isNull() {
    return value == Json.Null.NULL;
  }

  public boolean isObject() {
    return value instanceof Map<?, ?>;
  }

  public boolean isArray() {
    return value instanceof List<?>;
  }

  public boolean isString() {
    return value instanceof String;
  }

  public boolean isNumber() {
    return value instanceof Json.Number;
  }

  public boolean isBoolean() {
    return value instanceof Boolean;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map() throws JsonFormatException {
    if (!(value instanceof Map<?, ?> m)) {
      throw problem("expected an object, found " + kind());
    }
    return (Map<String, Object>) m;
  }

  /** Requires an object whose member names all come from {@code allowed}. */
  public Node object(Set<String> allowed) throws JsonFormatException {
    for (String key : map().keySet()) {
      if (!allowed.contains(key)) {
        throw new JsonFormatException(document, pointer + "/" + escape(key), "unknown member \"" + shorten(key)
            + "\"; the members understood here are " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    return this;
  }

  /** A required member; JSON null is a value here. */
  public Node get(String key) throws JsonFormatException {
    Object child = map().get(key);
    if (child == null) {
      throw new JsonFormatException(document, pointer + "/" + escape(key), "is missing; it is required");
    }
    return new Node(child, pointer + "/" + escape(key), document);
  }

  /** A member if present and not JSON null. */
  public Optional<Node> opt(String key) throws JsonFormatException {
    Object child = map().get(key);
    return child == null || child == Json.Null.NULL ? Optional.empty()
        : Optional.of(new Node(child, pointer + "/" + escape(key), document));
  }

  /** Whether the object has the member (even if it is null). */
  public boolean has(String key) throws JsonFormatException {
    return map().containsKey(key);
  }

  public String text() throws JsonFormatException {
    if (!(value instanceof String s)) {
      throw problem("expected a string, found " + kind());
    }
    return s;
  }

  public boolean bool() throws JsonFormatException {
    if (!(value instanceof Boolean b)) {
      throw problem("expected true or false, found " + kind());
    }
    return b;
  }

  /** A whole number in [min, max]. */
  public long integer(long min, long max) throws JsonFormatException {
    if (!(value instanceof Json.Number n)) {
      throw problem("expected a whole number from " + min + " to " + max + ", found " + kind());
    }
    String t = n.text();
    if (t.length() <= 18 && t.chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9'))) {
      long v = Long.parseLong(t); // the common case, without BigDecimal: vocabularies have 100,000s of ids
      if (v < min || v > max) {
        throw problem(t + " is out of range; expected a whole number from " + min + " to " + max);
      }
      return v;
    }
    BigDecimal d = new BigDecimal(t);
    BigDecimal whole;
    try {
      whole = new BigDecimal(d.toBigIntegerExact());
    } catch (ArithmeticException e) {
      throw problem("expected a whole number from " + min + " to " + max + ", found the fraction " + n.text());
    }
    if (whole.compareTo(BigDecimal.valueOf(min)) < 0 || whole.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw problem(n.text() + " is out of range; expected a whole number from " + min + " to " + max);
    }
    return whole.longValueExact();
  }

  /** A finite number. */
  public double number() throws JsonFormatException {
    if (!(value instanceof Json.Number n)) {
      throw problem("expected a number, found " + kind());
    }
    double d = Double.parseDouble(n.text());
    if (!Double.isFinite(d)) {
      throw problem(n.text() + " is too large for a number here");
    }
    return d;
  }

  public List<Node> array(int maxItems) throws JsonFormatException {
    if (!(value instanceof List<?> list)) {
      throw problem("expected an array, found " + kind());
    }
    if (list.size() > maxItems) {
      throw problem("has " + list.size() + " items; at most " + maxItems + " are allowed");
    }
    List<Node> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(new Node(list.get(i), pointer + "/" + i, document));
    }
    return out;
  }

  /** The members of an object, in document order. */
  public List<Member> members(int maxMembers) throws JsonFormatException {
    Map<String, Object> m = map();
    if (m.size() > maxMembers) {
      throw problem("has " + m.size() + " members; at most " + maxMembers + " are allowed");
    }
    List<Member> out = new ArrayList<>(m.size());
    for (Map.Entry<String, Object> e : m.entrySet()) {
      out.add(new Member(e.getKey(), new Node(e.getValue(), pointer + "/" + escape(e.getKey()), document)));
    }
    return out;
  }
}
