package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import soko.catalog.CatalogPublisher;
import soko.catalog.SigningKey;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;

/**
 * A remote catalog signed by a new key, written into a test's folder ({@code team.key}, {@code
 * team.pub.json}, {@code catalog.signed.json}), then added with that key and fetched by a {@link
 * Cli}'s home: the set-up of the tests that pull from a catalog of their own.
 */
final class SignedCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An alias of the catalog: {@code task} in {@code language}, whose one candidate is {@code candidate}. */
  record Alias(String name, String task, String language, String candidate) {}

  private SignedCatalog() {}

  /** Publishes catalog {@code id} (version 1, expiring in a day) with {@code models} and {@code alias}, and configures it. */
  static void publish(Cli cli, Path dir, String id, List<Manifest> models, Optional<Alias> alias) throws Exception {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("schemaVersion", 1);
    doc.put("id", id);
    doc.put("version", 1);
    doc.put("expires", Instant.now().plus(Duration.ofDays(1)).toString());
    var arr = doc.putArray("models");
    for (Manifest m : models) {
      arr.add(JSON.readTree(ManifestCodec.write(m)));
    }
    if (alias.isPresent()) {
      ObjectNode a = doc.putObject("aliases").putObject(alias.get().name());
      a.put("task", alias.get().task());
      a.put("language", alias.get().language());
      a.putArray("candidates").add(alias.get().candidate());
    }
    SigningKey key = CatalogPublisher.generateKey();
    CatalogPublisher.writeKey(key, dir.resolve("team.key"), dir.resolve("team.pub.json"), "test publisher");
    Path signed = dir.resolve("catalog.signed.json");
    Files.write(signed, CatalogPublisher.sign(JSON.writeValueAsBytes(doc), List.of(key), "test catalog"));
    Cli.Result add = cli.run("catalog", "add", signed.toUri().toString(), "--id", id,
        "--trust", dir.resolve("team.pub.json").toString());
    assertThat(add.code()).as(add.toString()).isZero();
    Cli.Result update = cli.run("catalog", "update");
    assertThat(update.code()).as(update.toString()).isZero();
  }
}
