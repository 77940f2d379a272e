package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import soko.internal.json.JsonProblem;
import soko.verification.Digest;

class PartialMetadataTest {
  static final Digest SHA = Digest.ofHex("9ae9e251207746e023083855715573e6a55adbe8694dca08fde77ce4d7d21249");
  static final URI URL = URI.create("https://models.example.org/asr/model.bin");

  @Test
  void oneStreamFromTheStartIsWrittenAsVersionOneAndReadBack() throws Exception {
    PartialMetadata m = new PartialMetadata(SHA, 1000, URL, Optional.of("\"v1\""), Optional.empty(), 400);

    String json = new String(m.toJson(), StandardCharsets.UTF_8).replaceAll("\\s", "");

    assertThat(json).contains("\"schemaVersion\":1").contains("\"bytes\":400").doesNotContain("spans");
    assertThat(PartialMetadata.parse(m.toJson())).isEqualTo(m);
    assertThat(PartialMetadata.parse(m.toJson()).spans()).containsExactly(new PartialMetadata.Span(0, 999, 400));
  }

  @Test
  void severalRangesAreWrittenAsVersionTwoWithTheProgressOfEach() throws Exception {
    PartialMetadata m = new PartialMetadata(SHA, 1000, URI.create("oci://ghcr.io/org/model@" + SHA), Optional.empty(),
        Optional.empty(), List.of(new PartialMetadata.Span(0, 499, 500), new PartialMetadata.Span(500, 999, 120)));

    String json = new String(m.toJson(), StandardCharsets.UTF_8).replaceAll("\\s", "");

    assertThat(json).contains("\"schemaVersion\":2")
        .contains("\"spans\":[{\"from\":0,\"to\":499,\"done\":500},{\"from\":500,\"to\":999,\"done\":120}]");
    assertThat(PartialMetadata.parse(m.toJson())).isEqualTo(m);
  }

  @Test
  void bytesWrittenButNotYetFsyncedAreRecordedBesideTheFsyncedOnes() throws Exception {
    PartialMetadata m = new PartialMetadata(SHA, 1000, URL, Optional.of("\"e\""), Optional.empty(),
        List.of(new PartialMetadata.Span(0, 499, 100, 300), new PartialMetadata.Span(500, 999, 0)));

    String json = new String(m.toJson(), StandardCharsets.UTF_8).replaceAll("\\s", "");

    assertThat(json).contains("{\"from\":0,\"to\":499,\"done\":100,\"written\":300},{\"from\":500,\"to\":999,\"done\":0}");
    assertThat(PartialMetadata.parse(m.toJson())).isEqualTo(m);
    assertThat(m.written()).isEqualTo(300);
    assertThatThrownBy(() -> new PartialMetadata.Span(0, 99, 50, 40)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void spansThatDoNotCoverTheFileInOrderAreRefused() {
    String gap = "{\"schemaVersion\":2,\"sha256\":\"" + SHA.hex() + "\",\"size\":1000,\"url\":\"" + URL + "\","
        + "\"spans\":[{\"from\":0,\"to\":399,\"done\":10},{\"from\":500,\"to\":999,\"done\":0}]}";

    assertThatThrownBy(() -> PartialMetadata.parse(gap.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JsonProblem.class).hasMessageContaining("span 1 does not follow span 0");
    assertThatThrownBy(() -> new PartialMetadata.Span(0, 99, 101)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRecordMovedToAnotherSourceKeepsOnlyWholeChunksAndNoValidator() {
    // Chunks of 100 bytes: span 0 complete; span 1 cut 30 bytes into its third chunk; span 2 cut
    // inside its first chunk; span 3 empty.
    PartialMetadata m = new PartialMetadata(SHA, 1000, URL, Optional.of("\"e\""), Optional.empty(),
        List.of(new PartialMetadata.Span(0, 299, 300), new PartialMetadata.Span(300, 599, 200, 230),
            new PartialMetadata.Span(600, 899, 0, 70), new PartialMetadata.Span(900, 999, 0, 0)));
    URI other = URI.create("https://mirror.example.net/model.bin");
    PartialMetadata moved = m.rebased(other, 100);
    assertThat(moved.url()).isEqualTo(other);
    assertThat(moved.validator()).isEmpty();
    assertThat(moved.spans()).containsExactly(new PartialMetadata.Span(0, 299, 300),
        new PartialMetadata.Span(300, 599, 200, 200), new PartialMetadata.Span(600, 899, 0, 0),
        new PartialMetadata.Span(900, 999, 0, 0));
    assertThat(moved.written()).isEqualTo(500);
  }
}
