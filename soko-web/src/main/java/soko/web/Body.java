package soko.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A request body read strictly: {@code application/json}, at most {@value #MAX_BYTES} bytes, one
 * JSON object, no duplicate or unknown fields, and fields of the right type. Anything else is a
 * {@link Refusal} naming the field.
 */
final class Body {
  static final int MAX_BYTES = 16 * 1024;
  static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(MAX_BYTES).build())
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectNode node;

  private Body(ObjectNode node) {
    this.node = node;
  }

  /** Reads the body of {@code ex}; only the fields in {@code known} may appear. */
  static Body read(HttpExchange ex, Set<String> known) throws Refusal, IOException {
    String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
    String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json")) {
      throw new Refusal(415, "content-type", "send the request body as application/json (got \""
          + (type.isEmpty() ? "no Content-Type" : type) + "\")");
    }
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > MAX_BYTES) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw Refusal.badRequest("the Content-Length \"" + length + "\" is not a number");
      }
    }
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge();
    }
    JsonNode parsed;
    try {
      parsed = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new Refusal(400, "malformed-json", "the request body is not valid JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse("unreadable"), Optional.empty(), Optional.empty(), e);
    }
    if (parsed == null || !parsed.isObject()) {
      throw new Refusal(400, "malformed-json", "the request body must be a JSON object");
    }
    ObjectNode o = (ObjectNode) parsed;
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw Refusal.badRequest("unknown field \"" + f + "\"; this request takes " + (known.isEmpty() ? "no fields"
            : String.join(", ", known.stream().sorted().toList())));
      }
    }
    return new Body(o);
  }

  private static Refusal tooLarge() {
    return new Refusal(413, "too-large", "the request body is larger than " + MAX_BYTES + " bytes");
  }

  Optional<String> string(String field) throws Refusal {
    JsonNode v = node.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw Refusal.badRequest("\"" + field + "\" must be a string");
    }
    return Optional.of(v.textValue());
  }

  String requiredString(String field) throws Refusal {
    Optional<String> s = string(field);
    if (s.isEmpty() || s.get().isBlank()) {
      throw Refusal.badRequest("\"" + field + "\" is required");
    }
    return s.get();
  }

  boolean flag(String field) throws Refusal {
    JsonNode v = node.get(field);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw Refusal.badRequest("\"" + field + "\" must be true or false");
    }
    return v.booleanValue();
  }

  Optional<Body> object(String field, Set<String> known) throws Refusal {
    JsonNode v = node.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw Refusal.badRequest("\"" + field + "\" must be an object");
    }
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw Refusal.badRequest("unknown field \"" + field + "." + f + "\"");
      }
    }
    return Optional.of(new Body((ObjectNode) v));
  }

  long requiredLong(String field) throws Refusal {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw Refusal.badRequest("\"" + field + "\" must be a whole number");
    }
    return v.longValue();
  }

  List<String> requiredStrings(String field) throws Refusal {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw Refusal.badRequest("\"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw Refusal.badRequest("\"" + field + "\" must be an array of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }
}
