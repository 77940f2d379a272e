package soko.acquisition.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.verification.Digest;

/**
 * The ModelPack config blob ({@value ModelPack#CONFIG_TYPE}, model-spec {@code docs/config.md}):
 * the fields Soko reads and writes. Every field but {@code modelfs} is optional in what is read;
 * unknown fields are ignored, as the spec allows. {@link #toJson()} writes the fields in a fixed
 * order without whitespace, leaving out empty ones, so equal configs are equal bytes.
 *
 * <p>Immutable and thread-safe (the lists are copied).
 *
 * @param createdAt {@code descriptor.createdAt}, RFC 3339, as written
 * @param name {@code descriptor.name}, the model's name as its publisher writes it
 * @param version {@code descriptor.version}, free text
 * @param family {@code descriptor.family}, such as {@code whisper} or {@code llama3}
 * @param description {@code descriptor.description}, free text
 * @param docUrl {@code descriptor.docURL}, where the model is documented
 * @param sourceUrl {@code descriptor.sourceURL}, where the model came from
 * @param licenses {@code descriptor.licenses}, SPDX expressions
 * @param architecture {@code config.architecture}, such as {@code transformer}
 * @param format {@code config.format}, free text such as {@code onnx}, {@code gguf}, {@code ggml}
 * @param paramSize {@code config.paramSize}, as written, such as {@code 8b} or {@code 244M}
 * @param precision {@code config.precision}, such as {@code float16} or {@code int8}
 * @param quantization {@code config.quantization}, such as {@code q5_0} or {@code awq}
 * @param inputTypes {@code config.capabilities.inputTypes}: text, image, audio, video, embedding, other
 * @param outputTypes {@code config.capabilities.outputTypes}, of the same set
 * @param languages {@code config.capabilities.languages}: ISO 639-1 codes
 * @param diffIds {@code modelfs.diffIds}: the digest of each layer uncompressed, in layer order
 */
public record ModelPackConfig(
    Optional<String> createdAt,
    Optional<String> name,
    Optional<String> version,
    Optional<String> family,
    Optional<String> description,
    Optional<String> docUrl,
    Optional<String> sourceUrl,
    List<String> licenses,
    Optional<String> architecture,
    Optional<String> format,
    Optional<String> paramSize,
    Optional<String> precision,
    Optional<String> quantization,
    List<String> inputTypes,
    List<String> outputTypes,
    List<String> languages,
    List<Digest> diffIds) {
  private static final int MAX_ITEMS = 10_001;

  /** Copies the lists. */
  public ModelPackConfig {
    licenses = List.copyOf(licenses);
    inputTypes = List.copyOf(inputTypes);
    outputTypes = List.copyOf(outputTypes);
    languages = List.copyOf(languages);
    diffIds = List.copyOf(diffIds);
  }

  /**
   * Reads a config blob. {@code where} names the artifact in messages.
   *
   * @param bytes the config blob's JSON
   * @param where names the artifact in messages
   * @return the config; absent fields are empty
   *
   * @throws OciFormatException when it is not JSON, a field has the wrong type, or a diffId is not sha256
   */
  public static ModelPackConfig parse(byte[] bytes, String where) throws OciFormatException {
    try {
      Node root = Json.parse(bytes, ImageManifest.MAX_BYTES, "ModelPack config");
      Optional<Node> d = root.opt("descriptor");
      Optional<Node> c = root.opt("config");
      Optional<Node> caps = c.isPresent() ? c.get().opt("capabilities") : Optional.empty();
      List<Digest> diffIds = new ArrayList<>();
      Optional<Node> fs = root.opt("modelfs");
      if (fs.isPresent() && fs.get().opt("diffIds").isPresent()) {
        diffIds = fs.get().get("diffIds").list(MAX_ITEMS, n -> n.parse(Digest::parse, "sha256:<64 lower-case hex>"));
      }
      return new ModelPackConfig(text(d, "createdAt"), text(d, "name"), text(d, "version"), text(d, "family"),
          text(d, "description"), text(d, "docURL"), text(d, "sourceURL"), texts(d, "licenses"),
          text(c, "architecture"), text(c, "format"), text(c, "paramSize"), text(c, "precision"), text(c, "quantization"),
          texts(caps, "inputTypes"), texts(caps, "outputTypes"), texts(caps, "languages"), diffIds);
    } catch (JsonProblem p) {
      throw new OciFormatException(where + ": bad ModelPack config at " + (p.pointer().isEmpty() ? "/" : p.pointer())
          + ": " + p.problem(), p);
    }
  }

  private static Optional<String> text(Optional<Node> parent, String key) throws JsonProblem {
    if (parent.isEmpty() || parent.get().opt(key).isEmpty()) {
      return Optional.empty();
    }
    String s = parent.get().get(key).text().strip();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static List<String> texts(Optional<Node> parent, String key) throws JsonProblem {
    if (parent.isEmpty() || parent.get().opt(key).isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Node n : parent.get().get(key).array(256)) {
      String s = n.text().strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Writes the config.
   *
   * @return compact JSON: descriptor, config (with capabilities), modelfs, in a fixed order; empty
   *     fields left out
   */
  public byte[] toJson() {
    ObjectNode root = Json.object();
    ObjectNode d = root.putObject("descriptor");
    createdAt.ifPresent(v -> d.put("createdAt", v));
    name.ifPresent(v -> d.put("name", v));
    version.ifPresent(v -> d.put("version", v));
    family.ifPresent(v -> d.put("family", v));
    description.ifPresent(v -> d.put("description", v));
    docUrl.ifPresent(v -> d.put("docURL", v));
    sourceUrl.ifPresent(v -> d.put("sourceURL", v));
    putAll(d, "licenses", licenses);
    ObjectNode c = root.putObject("config");
    architecture.ifPresent(v -> c.put("architecture", v));
    format.ifPresent(v -> c.put("format", v));
    paramSize.ifPresent(v -> c.put("paramSize", v));
    precision.ifPresent(v -> c.put("precision", v));
    quantization.ifPresent(v -> c.put("quantization", v));
    ObjectNode caps = c.putObject("capabilities");
    putAll(caps, "inputTypes", inputTypes);
    putAll(caps, "outputTypes", outputTypes);
    putAll(caps, "languages", languages);
    ObjectNode fs = root.putObject("modelfs");
    fs.put("type", "layers");
    ArrayNode ids = fs.putArray("diffIds");
    diffIds.forEach(id -> ids.add(id.toString()));
    return Json.writeLine(root).getBytes(StandardCharsets.UTF_8);
  }

  private static void putAll(ObjectNode o, String key, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = o.putArray(key);
      values.forEach(a::add);
    }
  }
}
