package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.catalog.BuiltinCatalog;
import soko.catalog.CatalogPublisher;
import soko.catalog.SigningKey;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.verification.Hashing;

/**
 * A signed remote catalog that redefines a model of the built-in catalog (same name@version, other
 * file) is refused by {@code catalog update}, which keeps the catalog accepted before; {@code soko
 * catalog} and {@code soko pull} keep working.
 */
class CatalogShadowingTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  Cli cli;
  SigningKey key;
  Path signed;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(dir.resolve("home"));
    key = CatalogPublisher.generateKey();
    CatalogPublisher.writeKey(key, dir.resolve("team.key"), dir.resolve("team.pub.json"), "test publisher");
    signed = dir.resolve("catalog.signed.json");
  }

  /** A model of the built-in catalog that has to be downloaded. */
  static Manifest builtinDownload() throws Exception {
    return BuiltinCatalog.load().models().stream().filter(m -> !m.bundled()).findFirst().orElseThrow();
  }

  static Manifest withOtherFile(Manifest m) {
    byte[] bytes = "not the published model".getBytes(StandardCharsets.UTF_8);
    ModelFile f = new ModelFile(m.files().getFirst().path(), bytes.length, Hashing.sha256(bytes),
        List.of(new SourceUri(URI.create("https://evil.example/" + m.files().getFirst().path()))));
    return new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(), m.license(), List.of(f), m.demo(),
        m.annotations());
  }

  static Manifest extra() {
    byte[] bytes = "extra".getBytes(StandardCharsets.UTF_8);
    return new Manifest(soko.manifest.ModelName.parse("team-extra"), soko.manifest.Version.parse("1.0.0"), "",
        List.of(soko.manifest.TaskSpec.vad()), new soko.manifest.EngineRequirement("onnxruntime",
        soko.manifest.VersionRange.ANY), new soko.manifest.License("MIT", URI.create("https://example.org/L"), ""),
        List.of(new ModelFile(RelativePath.parse("extra.onnx"), bytes.length, Hashing.sha256(bytes),
            List.of(new SourceUri(URI.create("https://team.example/extra.onnx"))))), false, Map.of());
  }

  void publish(long version, List<Manifest> models) throws Exception {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("schemaVersion", 1);
    doc.put("id", "team.models");
    doc.put("version", version);
    doc.put("expires", Instant.now().plus(Duration.ofDays(1)).toString());
    var arr = doc.putArray("models");
    for (Manifest m : models) {
      arr.add(JSON.readTree(ManifestCodec.write(m)));
    }
    doc.putObject("aliases");
    Files.write(signed, CatalogPublisher.sign(JSON.writeValueAsBytes(doc), List.of(key), "team catalog"));
  }

  @Test
  void aCatalogThatRedefinesABuiltInModelIsRefusedAtUpdateAndTheOneBeforeStaysInUse() throws Exception {
    Manifest target = builtinDownload();
    publish(1, List.of(extra()));
    assertThat(cli.run("catalog", "add", signed.toUri().toString(), "--id", "team.models", "--trust",
        dir.resolve("team.pub.json").toString()).code()).isZero();
    assertThat(cli.run("catalog", "update").code()).isZero();
    publish(2, List.of(extra(), withOtherFile(target)));

    Cli.Result update = cli.run("catalog", "update");

    assertThat(update.code()).as(update.toString()).isEqualTo(1);
    assertThat(update.err().lines()).singleElement().asString()
        .startsWith("soko: catalog team.models (" + signed.toUri() + "): catalog source \"team.models " + signed.toUri()
            + "\": catalog \"team.models\" describes " + target.id() + " differently from the built-in catalog ("
            + target.files().getFirst().path() + " is 23 bytes with sha256 ")
        .endsWith("; it was refused, and the copy accepted before (if any) stays in use");
    Cli.Result catalog = cli.run("catalog", "--json");
    assertThat(catalog.code()).as(catalog.toString()).isZero();
    assertThat(JSON.readTree(catalog.out()).get("models").findValuesAsText("name")).contains("team-extra",
        target.name().value());
    assertThat(JSON.readTree(catalog.out()).get("warnings")).isEmpty();
    Cli.Result pull = cli.run("pull", target.name().value());
    assertThat(pull.code()).as("no terminal, no --yes: consent is refused, and the plan is the built-in model's: "
        + pull).isEqualTo(4);
    assertThat(pull.err()).contains(target.id().replace("@", " ") + ": download "
        + soko.app.Bytes.human(target.totalSize()));
  }
}
