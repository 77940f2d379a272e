package soko.catalog;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;
import soko.verification.Hashing;

/** Small catalog and manifest documents for tests. */
final class Fixtures {
  private Fixtures() {}

  static final String ASR_JA = "{\"task\":\"asr\",\"languages\":[\"ja\"]}";
  static final String ASR_JA_KO = "{\"task\":\"asr\",\"languages\":[\"ja\",\"ko\"]}";
  static final String MT_JA_EN = "{\"task\":\"translate\",\"from\":\"ja\",\"to\":\"en\"}";
  static final String VAD = "{\"task\":\"vad\"}";

  /** A manifest's JSON with one file whose content is derived from the name and version. */
  static String manifest(String name, String version, String... tasks) {
    String content = name + "@" + version;
    String sha = HexFormat.of().formatHex(Hashing.newSha256().digest(content.getBytes(StandardCharsets.UTF_8)));
    return """
        {"schemaVersion":1,"name":"%s","version":"%s","tasks":[%s],
         "engine":{"id":"onnxruntime","version":">=1.17"},
         "license":{"spdx":"MIT","url":"https://example.org/LICENSE","attribution":"Example"},
         "files":[{"path":"model.bin","size":%d,"sha256":"%s","sources":["https://models.example.org/%s/%s/model.bin"]}]}
        """.formatted(name, version, String.join(",", tasks), content.length(), sha, name, version);
  }

  static Manifest parsedManifest(String name, String version, String... tasks) {
    try {
      return ManifestCodec.parse(utf8(manifest(name, version, tasks)), "test");
    } catch (ManifestException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A catalog document's JSON. */
  static String catalog(String id, long version, String expires, String models, String aliases) {
    return """
        {"schemaVersion":1,"id":"%s","version":%d,"expires":"%s","models":[%s],"aliases":{%s}}
        """.formatted(id, version, expires, models, aliases);
  }

  /** A valid catalog with one ASR model and one alias. */
  static byte[] simpleCatalog(String id, long version, String expires) {
    return utf8(catalog(id, version, expires, manifest("m-asr", "1.0.0", ASR_JA),
        "\"ja-asr\":{\"task\":\"asr\",\"language\":\"ja\",\"candidates\":[\"m-asr\"]}"));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
