package soko.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
  static final String VALID = """
      {
        "schemaVersion": 1,
        "name": "whisper-base",
        "version": "1.0.0",
        "tasks": [
          {"task": "asr", "languages": ["ja", "ko"]},
          {"task": "speech-translate", "languages": ["ja", "ko"], "to": "en"},
          {"task": "translate", "from": "ja", "to": "en"},
          {"task": "vad"}
        ],
        "engine": {"id": "whisper.cpp", "version": ">=1.7 <2"},
        "license": {"spdx": "MIT", "url": "https://example.org/LICENSE", "attribution": "Example"},
        "files": [
          {"path": "ggml-base.bin", "size": 147951465,
           "sha256": "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe",
           "sources": ["https://mirror.example/ggml-base.bin", "file:/media/usb/ggml-base.bin"]}
        ]
      }
      """;

  static Manifest parse(String json) throws ManifestException {
    return ManifestCodec.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
  }

  @Test
  void readsEveryField() throws Exception {
    Manifest m = parse(VALID);
    assertThat(m.name().value()).isEqualTo("whisper-base");
    assertThat(m.version()).isEqualTo(Version.parse("1.0.0"));
    assertThat(m.tasks()).hasSize(4);
    assertThat(m.tasks().get(2)).isEqualTo(TaskSpec.translate(Language.JA, Language.EN));
    assertThat(m.engine().versions().contains("1.7.1")).isTrue();
    assertThat(m.engine().versions().contains("2.0.0")).isFalse();
    assertThat(m.totalSize()).isEqualTo(147951465L);
    assertThat(m.files().get(0).sources()).extracting(SourceUri::kind)
        .containsExactly(SourceUri.Kind.HTTP, SourceUri.Kind.FILE);
  }

  @Test
  void writingThenReadingGivesTheSameManifestAndTheSameBytes() throws Exception {
    Manifest m = parse(VALID);
    byte[] once = ManifestCodec.write(m);
    Manifest back = ManifestCodec.parse(once, "written");
    assertThat(back).isEqualTo(m);
    assertThat(ManifestCodec.write(back)).isEqualTo(once);
  }

  @Test
  void bundledManifestsParseAndMatchTheirFiles() throws Exception {
    for (String name : new String(resource("soko/bundled/index.txt"), StandardCharsets.UTF_8).lines().toList()) {
      byte[] json = resource("soko/bundled/" + name + "/manifest.json");
      if (json == null) {
        continue; // listed but not built into this module yet
      }
      Manifest m = ManifestCodec.parse(json, name);
      assertThat(new String(ManifestCodec.write(m), StandardCharsets.UTF_8)).as("bundled manifest %s is canonical", name)
          .isEqualTo(new String(json, StandardCharsets.UTF_8));
      for (ModelFile f : m.files()) {
        byte[] data = resource("soko/bundled/" + f.sources().get(0).bundledPath().value());
        assertThat(data).as("bundled file %s", f.path()).isNotNull();
        assertThat((long) data.length).isEqualTo(f.size());
        assertThat(soko.verification.Hashing.sha256(data)).isEqualTo(f.sha256());
      }
    }
  }

  static byte[] resource(String path) throws IOException {
    try (InputStream in = ManifestCodecTest.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  /** VALID with 64 MiB chunk digests on its 147951465-byte file (3 chunks), {@code count} of them. */
  static String withChunks(long chunkSize, int count) {
    String list = String.join(",", java.util.Collections.nCopies(count,
        "\"60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe\""));
    return VALID.replace("\"file:/media/usb/ggml-base.bin\"]}",
        "\"file:/media/usb/ggml-base.bin\"], \"chunks\": {\"size\": " + chunkSize + ", \"sha256\": [" + list + "]}}");
  }

  @Test
  void chunkDigestsAreReadAndWrittenBack() throws Exception {
    Manifest m = parse(withChunks(64L << 20, 3));
    assertThat(m.files().getFirst().chunks()).hasValueSatisfying(c -> {
      assertThat(c.chunkSize()).isEqualTo(64L << 20);
      assertThat(c.sha256()).hasSize(3);
    });
    byte[] once = ManifestCodec.write(m);
    assertThat(new String(once, StandardCharsets.UTF_8)).contains("\"chunks\": {\n        \"size\": 67108864,");
    assertThat(ManifestCodec.parse(once, "written")).isEqualTo(m);
    assertThat(parse(VALID).files().getFirst().chunks()).isEmpty();
  }

  @Test
  void moreChunkDigestsThanTheBoundAreRefusedBeforeTheyAreRead() {
    assertThatThrownBy(() -> parse(withChunks(1L << 20, ChunkDigests.MAX_COUNT + 1)))
        .isInstanceOf(ManifestException.class)
        .hasMessage("test.json: invalid manifest at /files/0/chunks/sha256: has 4097 items; at most 4096 are allowed");
  }

  @Test
  void theChunkSizeForAFileKeepsItsListWithinTheBound() {
    assertThat(ChunkDigests.sizeFor(147951465L)).isEqualTo(16L << 20);
    assertThat(ChunkDigests.sizeFor(16L << 20)).as("one chunk: no list").isZero();
    assertThat(ChunkDigests.sizeFor(100L << 30)).as("3200 chunks, not 6400 of 16 MiB").isEqualTo(32L << 20);
  }

  @Test
  void unknownSchemaVersionIsRefusedWithUpgradeAdvice() {
    assertThatThrownBy(() -> parse(VALID.replace("\"schemaVersion\": 1", "\"schemaVersion\": 2")))
        .isInstanceOf(ManifestException.class)
        .hasMessage("test.json: invalid manifest at /schemaVersion: schema version 2 is not supported; "
            + "this Soko reads version 1 (upgrade Soko to read newer manifests)");
  }

  @Test
  void totalSizeMustEqualTheSumOfTheFiles() {
    assertThatThrownBy(() -> parse(VALID.replace("\"files\"", "\"totalSize\": 5, \"files\"")))
        .hasMessageContaining("/totalSize: is 5 but the files add up to 147951465");
  }
}
