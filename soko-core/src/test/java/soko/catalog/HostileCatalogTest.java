package soko.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.testkit.corpus.Corpus;
import soko.testkit.corpus.Envelopes;

/**
 * The hostile catalog corpus ({@code soko-testkit}: {@code soko/testkit/corpus/catalogs/}) against
 * {@link CatalogTrust#accept} with the built-in catalog in force above: each refused catalog gets
 * its own one-line message; each accepted one parses.
 */
class HostileCatalogTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SigningKey TRUSTED = CatalogPublisher.generateKey();
  static final SigningKey STRANGER = CatalogPublisher.generateKey();
  static final CatalogSource SOURCE = CatalogSource.of("test.corpus", URI.create("https://corpus.example/catalog.json"));

  @TempDir
  Path state;

  static Stream<Corpus.Case> cases() {
    return Corpus.catalogs().stream();
  }

  /** What the source serves for a case: see the "how" column of cases.tsv. */
  static byte[] served(Corpus.Case c) throws Exception {
    byte[] file = c.bytes();
    return switch (c.column(2)) {
      case "sign" -> Envelopes.sign(file, TRUSTED.privateKey(), TRUSTED.keyId());
      case "stranger" -> Envelopes.sign(file, STRANGER.privateKey(), STRANGER.keyId());
      case "tamper" -> Envelopes.tampered(file, TRUSTED.privateKey(), TRUSTED.keyId());
      case "shadow" -> Envelopes.sign(shadowing(file), TRUSTED.privateKey(), TRUSTED.keyId());
      case "envelope" -> file;
      default -> throw new IllegalArgumentException(c + ": unknown way " + c.column(2));
    };
  }

  /** The document with the first downloadable model of the built-in catalog added, with another file. */
  static byte[] shadowing(byte[] document) throws Exception {
    Manifest m = BuiltinCatalog.load().models().stream().filter(x -> !x.bundled()).findFirst().orElseThrow();
    ObjectNode model = (ObjectNode) JSON.readTree(ManifestCodec.write(m));
    ObjectNode file = (ObjectNode) model.get("files").get(0);
    file.put("size", 10);
    file.put("sha256", "ab".repeat(32));
    model.remove("totalSize");
    ObjectNode doc = (ObjectNode) JSON.readTree(document);
    ((ArrayNode) doc.get("models")).add(model);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
  }

  @Test
  void theCorpusHoldsAtLeastFortyCatalogs() {
    assertThat(Corpus.catalogs()).hasSizeGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachCatalogIsAcceptedOrRefusedWithItsOwnOneLineMessage(Corpus.Case c) throws Exception {
    CatalogTrust trust = new CatalogTrust(TrustedKeys.ofPublicKeys(TRUSTED.publicKey()), Clock.systemUTC(), state);
    Catalogs above = Catalogs.merge(List.of(BuiltinCatalog.load()));
    byte[] served = served(c);

    if (c.exit() == 0) {
      assertThat(trust.accept(SOURCE, above, served).id()).isEqualTo("test.corpus");
    } else {
      assertThatThrownBy(() -> trust.accept(SOURCE, above, served))
          .isInstanceOf(CatalogException.class)
          .satisfies(e -> assertThat(e.getMessage()).contains(c.fragment()).doesNotContain("\n").doesNotContain("\u001b"));
      assertThat(trust.lastAcceptedVersion(SOURCE)).as("a refused catalog records nothing").isEmpty();
    }
  }
}
