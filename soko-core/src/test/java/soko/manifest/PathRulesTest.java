package soko.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The rules that keep a manifest's paths and sources usable on every file system Soko runs on. */
class PathRulesTest {
  static final String NFC = "caf\u00e9.bin";
  static final String NFD = "cafe\u0301.bin";

  static String manifestWithFiles(String... paths) {
    StringBuilder files = new StringBuilder();
    for (String p : paths) {
      if (!files.isEmpty()) {
        files.append(',');
      }
      files.append("{\"path\":\"").append(p).append("\",\"size\":1,\"sha256\":\"").append("ab".repeat(32))
          .append("\",\"sources\":[\"https://m.example/x\"]}");
    }
    return "{\"schemaVersion\":1,\"name\":\"m\",\"version\":\"1.0.0\",\"tasks\":[{\"task\":\"vad\"}],"
        + "\"engine\":{\"id\":\"onnxruntime\"},\"license\":{\"spdx\":\"MIT\",\"url\":\"https://example.org/L\"},"
        + "\"files\":[" + files + "]}";
  }

  static Manifest parse(String json) throws ManifestException {
    return ManifestCodec.parse(json.getBytes(StandardCharsets.UTF_8), "m.json");
  }

  @Test
  void aPathInNfdIsStoredInNfc() throws Exception {
    Manifest m = parse(manifestWithFiles(NFD));

    assertThat(m.files().getFirst().path().value()).isEqualTo(NFC);
  }

  @Test
  void twoPathsThatDifferOnlyInNormalizationAreRefused() {
    assertThatThrownBy(() -> parse(manifestWithFiles(NFC, NFD)))
        .hasMessage("m.json: invalid manifest at /files: the path \"" + NFC + "\" is listed twice (paths are compared"
            + " in Unicode NFC, so an NFC and an NFD spelling of one name, which macOS stores as one file, count as"
            + " the same path)");
  }

  @Test
  void twoPathsThatDifferInNormalizationAndCaseAreRefused() {
    assertThatThrownBy(() -> parse(manifestWithFiles(NFC, "CAFE\u0301.bin")))
        .hasMessageContaining("are the same file on case-insensitive disks");
  }

  @Test
  void aSegmentOfMoreThan255Utf8BytesIsRefused() {
    String name = "\u3042".repeat(200); // 200 characters, 600 bytes in UTF-8

    assertThatThrownBy(() -> parse(manifestWithFiles("weights/" + name)))
        .hasMessage("m.json: invalid manifest at /files/0/path: \"weights/" + name.substring(0, 52) + "…\" is not valid:"
            + " a path segment is 600 bytes long in UTF-8; file systems store at most 255 bytes per name, so shorten it;"
            + " expected a relative path inside the model, like weights/model.onnx");
  }

  @Test
  void aSegmentOfExactly255Utf8BytesIsAccepted() throws Exception {
    String name = "\u3042".repeat(85); // 255 bytes

    assertThat(parse(manifestWithFiles(name)).files().getFirst().path().value()).isEqualTo(name);
  }

  @Test
  void bidiControlsAndOtherInvisibleCharactersAreRefusedInPaths() {
    for (String c : new String[] {"\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200f", "\ufeff", "\u2028",
        "\u3164", "\ufe0f", "\udb40\udc01"}) {
      String hex = String.format("U+%04X", "x".concat(c).codePointAt(1));
      assertThatThrownBy(() -> new RelativePath("model" + c + "gpj.onnx")).as(hex)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the path has the invisible character " + hex + " at index 5 (a bidi control or format"
              + " character, which can make a name display as another)");
    }
  }

  @Test
  void aLoneSurrogateIsRefused() {
    assertThatThrownBy(() -> new RelativePath("a\ud800b"))
        .hasMessageStartingWith("the path has the invisible character U+D800 at index 1");
  }

  @Test
  void aFileSourceOnAnotherHostIsRefusedWhenTheManifestIsRead() {
    String json = manifestWithFiles("a.bin").replace("https://m.example/x", "file://otherhost/share/a.bin");

    assertThatThrownBy(() -> parse(json))
        .hasMessage("m.json: invalid manifest at /files/0/sources/0: \"file://otherhost/share/a.bin\" is not valid: a"
            + " file: source names a file on this computer, like file:/media/usb/model.bin or file:///media/usb/model.bin;"
            + " file://otherhost/… names another computer, which Soko cannot read: mount the share and give its local"
            + " path; expected a bundled:, file:, https:, http: or oci:// URI");
  }

  @Test
  void everyFileSourceThatValidatesCanBeOpenedAsAPath() {
    for (String ok : new String[] {"file:/media/usb/a.bin", "file:///media/usb/a.bin", "file:/m/caf%C3%A9.bin"}) {
      assertThat(Path.of(SourceUri.parse(ok).uri())).as(ok).isAbsolute();
    }
    for (String bad : new String[] {"file://localhost/a.bin", "file://otherhost/a.bin", "file:/a%00b", "file:/a%E2%80%AEb"}) {
      assertThatThrownBy(() -> SourceUri.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("a file: source");
    }
  }
}
