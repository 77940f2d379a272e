package soko.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A corpus of malformed and hostile manifests: each is refused with the pointer of the bad value. */
class HostileManifestTest {
  static String withFile(String fileJson) {
    return ManifestCodecTest.VALID.replaceFirst("(?s)\"files\": \\[.*\\]\\s*\\}\\s*$",
        java.util.regex.Matcher.quoteReplacement("\"files\": [" + fileJson + "]}"));
  }

  /** VALID with one top-level member replaced by raw JSON. */
  static String with(String key, String rawJson) {
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(ManifestCodecTest.VALID);
      tree.set(key, mapper.readTree(rawJson));
      return mapper.writeValueAsString(tree);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String file(String path, String size, String sha) {
    return "{\"path\": " + path + ", \"size\": " + size + ", \"sha256\": " + sha
        + ", \"sources\": [\"https://m.example/x\"]}";
  }

  static final String SHA = "\"60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe\"";

  static Stream<Arguments> corpus() {
    return Stream.of(
        Arguments.of("path traversal", withFile(file("\"../../etc/passwd\"", "1", SHA)),
            "/files/0/path", "climbs out of the model with '..'"),
        Arguments.of("traversal in the middle", withFile(file("\"a/../../b\"", "1", SHA)),
            "/files/0/path", "climbs out of the model"),
        Arguments.of("absolute path", withFile(file("\"/etc/passwd\"", "1", SHA)),
            "/files/0/path", "the path is absolute"),
        Arguments.of("windows drive", withFile(file("\"C:/Windows/x.dll\"", "1", SHA)),
            "/files/0/path", "drive letter"),
        Arguments.of("backslash", withFile(file("\"a\\\\..\\\\b\"", "1", SHA)),
            "/files/0/path", "backslash"),
        Arguments.of("control character", withFile(file("\"a\\u0000b\"", "1", SHA)),
            "/files/0/path", "control character"),
        Arguments.of("empty path", withFile(file("\"\"", "1", SHA)), "/files/0/path", "the path is empty"),
        Arguments.of("reserved windows name", withFile(file("\"aux.txt\"", "1", SHA)),
            "/files/0/path", "reserved Windows name"),
        Arguments.of("negative size", withFile(file("\"a\"", "-1", SHA)),
            "/files/0/size", "-1 is out of range"),
        Arguments.of("huge size", withFile(file("\"a\"", "99999999999999999999", SHA)),
            "/files/0/size", "out of range"),
        Arguments.of("fractional size", withFile(file("\"a\"", "1.5", SHA)),
            "/files/0/size", "found the fraction 1.5"),
        Arguments.of("size as string", withFile(file("\"a\"", "\"12\"", SHA)),
            "/files/0/size", "expected a whole number"),
        Arguments.of("bad hex", withFile(file("\"a\"", "1", "\"zz" + SHA.substring(3))),
            "/files/0/sha256", "expected 64 lower-case hex digits"),
        Arguments.of("upper-case hex", withFile(file("\"a\"", "1", SHA.toUpperCase())),
            "/files/0/sha256", "64 lower-case hex digits"),
        Arguments.of("short hex", withFile(file("\"a\"", "1", "\"abcd\"")),
            "/files/0/sha256", "not valid"),
        Arguments.of("duplicate paths ignoring case", withFile(file("\"Model.bin\"", "1", SHA) + "," + file("\"model.BIN\"", "1", SHA)),
            "/files", "are the same file on case-insensitive disks"),
        Arguments.of("file used as folder", withFile(file("\"a\"", "1", SHA) + "," + file("\"a/b\"", "1", SHA)),
            "/files", "\"a\" is a file, so \"a/b\" cannot be inside it"),
        Arguments.of("unknown source scheme", withFile("{\"path\":\"a\",\"size\":1,\"sha256\":" + SHA
            + ",\"sources\":[\"ftp://x/y\"]}"), "/files/0/sources/0", "unsupported scheme \\\"ftp:\\\""),
        Arguments.of("credentials in URL", withFile("{\"path\":\"a\",\"size\":1,\"sha256\":" + SHA
            + ",\"sources\":[\"https://user:pw@x/y\"]}"), "/files/0/sources/0", "must not carry credentials"),
        Arguments.of("no sources", withFile("{\"path\":\"a\",\"size\":1,\"sha256\":" + SHA + ",\"sources\":[]}"),
            "/files/0/sources", "is empty"),
        Arguments.of("unknown field", ManifestCodecTest.VALID.replace("\"name\"", "\"nmae\": 1, \"name\""),
            "/nmae", "unknown field \"nmae\"; valid fields here are annotations, demo, description"),
        Arguments.of("wrong type for tasks", with("tasks", "\"asr\""),
            "/tasks", "expected an array, found a string"),
        Arguments.of("unknown task", ManifestCodecTest.VALID.replace("\"task\": \"vad\"", "\"task\": \"dance\""),
            "/tasks/3/task", "unknown task \\\"dance\\\""),
        Arguments.of("upper-case name", ManifestCodecTest.VALID.replace("\"whisper-base\"", "\"Whisper\""),
            "/name", "lower-case"),
        Arguments.of("bad version", ManifestCodecTest.VALID.replace("\"1.0.0\"", "\"v1\""),
            "/version", "semver"),
        Arguments.of("missing license", ManifestCodecTest.VALID.replaceFirst("\"license\": \\{[^}]*\\},", ""),
            "/license", "is missing; it is required"),
        Arguments.of("duplicate key", ManifestCodecTest.VALID.replace("\"name\": \"whisper-base\",",
            "\"name\": \"whisper-base\", \"name\": \"other\","), "/", "duplicate field \"name\""),
        Arguments.of("trailing garbage", ManifestCodecTest.VALID + "{}", "/", "not valid JSON"),
        Arguments.of("not JSON", "<html>", "/", "not valid JSON"),
        Arguments.of("empty document", "", "/", "the manifest is empty"),
        Arguments.of("deep nesting", "[".repeat(5000) + "]".repeat(5000), "/", "breaks a limit"),
        Arguments.of("array instead of object", "[1,2]", "/", "expected an object, found an array"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isRefusedWithThePointerOfTheBadValue(String what, String json, String pointer, String message) {
    assertThatThrownBy(() -> ManifestCodec.parse(json.getBytes(StandardCharsets.UTF_8), "hostile.json"))
        .isInstanceOfSatisfying(ManifestException.class, e -> {
          assertThat(e.pointer().isEmpty() ? "/" : e.pointer()).isEqualTo(pointer);
          assertThat(e.getMessage()).startsWith("hostile.json: invalid manifest at " + pointer + ": ")
              .contains(message.replace("\\\"", "\""));
          assertThat(e.getMessage()).doesNotContain("\n");
        });
  }

  @Test
  void aFiftyMegabyteManifestIsRefusedBeforeParsing() {
    byte[] huge = new byte[50 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThatThrownBy(() -> ManifestCodec.parse(huge, "big.json"))
        .hasMessage("big.json: invalid manifest at /: the manifest is 52428800 bytes; the limit is 4194304 bytes, "
            + "so this is not a manifest");
  }
}
