package soko.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The published JSON Schema and the parser agree: what one accepts the other accepts. */
class ManifestSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Schema schema;

  /** Rules only the parser can check (or inputs that are not JSON at all). */
  static final Set<String> NOT_EXPRESSIBLE = Set.of("duplicate paths ignoring case", "file used as folder",
      "duplicate key", "trailing garbage", "not JSON", "empty document", "deep nesting",
      "credentials in URL");

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

  static Stream<Arguments> expressibleCorpus() {
    return HostileManifestTest.corpus().filter(a -> !NOT_EXPRESSIBLE.contains((String) a.get()[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressibleCorpus")
  void rejectsWhatTheParserRejects(String what, String json, String pointer, String message) throws Exception {
    assertThat(schema.validate(JSON.readTree(json))).as(what).isNotEmpty();
  }
}
