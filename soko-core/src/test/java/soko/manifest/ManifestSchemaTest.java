package soko.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The published JSON Schema and the parser agree: what one accepts the other accepts. */
class ManifestSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Schema schema;

  @BeforeAll
  static void load() throws Exception {
    Path file = Path.of("..", "schemas", "manifest-v1.schema.json");
    schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Files.readString(file));
  }

  @Test
  void acceptsTheValidManifestAndEveryBundledManifest() throws Exception {
    assertThat(schema.validate(JSON.readTree(ManifestCodecTest.VALID))).isEmpty();
    for (String name : new String(ManifestCodecTest.resource("soko/bundled/index.txt"), java.nio.charset.StandardCharsets.UTF_8).lines().toList()) {
      byte[] json = ManifestCodecTest.resource("soko/bundled/" + name + "/manifest.json");
      assertThat(schema.validate(JSON.readTree(json))).as(name).isEmpty();
    }
  }

  static Stream<soko.testkit.corpus.Corpus.Case> rejected() {
    return soko.testkit.corpus.Corpus.manifests().stream().filter(c -> c.column(3).equals("rejects"));
  }

  static Stream<soko.testkit.corpus.Corpus.Case> valid() {
    return soko.testkit.corpus.Corpus.manifests().stream().filter(c -> c.column(3).equals("valid"));
  }

  /** The corpus cases whose rule JSON Schema can express (its "schema" column says rejects). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWhatTheParserRejects(soko.testkit.corpus.Corpus.Case c) throws Exception {
    assertThat(schema.validate(JSON.readTree(HostileManifestTest.bytes(c)))).as(c.name()).isNotEmpty();
  }

  /** The corpus's valid manifests (whose install fails later, or asks first). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsWhatTheParserAccepts(soko.testkit.corpus.Corpus.Case c) throws Exception {
    assertThat(schema.validate(JSON.readTree(HostileManifestTest.bytes(c)))).as(c.name()).isEmpty();
  }
}
