package soko.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import soko.testkit.corpus.Corpus;

/**
 * The hostile manifest corpus ({@code soko-testkit}: {@code soko/testkit/corpus/manifests/}): each
 * invalid one is refused with the pointer of the bad value and a one-line message; each valid one
 * (whose install fails later, see the CLI's HostileCorpusTest) parses.
 */
class HostileManifestTest {
  /** What @DIR@ stands for when a case is only parsed. */
  static final Path DIR = Path.of("/srv/corpus");

  static Stream<Corpus.Case> invalid() {
    return Corpus.manifests().stream().filter(c -> !pointer(c).equals("-"));
  }

  static Stream<Corpus.Case> valid() {
    return Corpus.manifests().stream().filter(c -> pointer(c).equals("-"));
  }

  static String pointer(Corpus.Case c) {
    return c.column(2);
  }

  static byte[] bytes(Corpus.Case c) {
    return new String(c.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).replace("@DIR@", DIR.toString())
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Test
  void theCorpusHoldsAtLeastOneHundredManifests() {
    assertThat(Corpus.manifests()).hasSizeGreaterThanOrEqualTo(100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void isRefusedWithThePointerOfTheBadValue(Corpus.Case c) {
    assertThatThrownBy(() -> ManifestCodec.parse(bytes(c), "hostile.json"))
        .isInstanceOfSatisfying(ManifestException.class, e -> {
          assertThat(e.pointer().isEmpty() ? "/" : e.pointer()).isEqualTo(pointer(c));
          assertThat(e.getMessage()).startsWith("hostile.json: invalid manifest at " + pointer(c) + ": ")
              .contains(c.fragment(DIR));
          assertThat(e.getMessage()).doesNotContain("\n");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void isAValidManifestWhoseInstallFailsLater(Corpus.Case c) throws Exception {
    assertThat(ManifestCodec.parse(bytes(c), "valid.json").files()).isNotEmpty();
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
