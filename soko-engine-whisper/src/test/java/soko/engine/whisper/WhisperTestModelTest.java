package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.ggml.WhisperTestModel;

/** The testkit's ggml builder writes what whisper.cpp's own test model is. */
class WhisperTestModelTest {
  @TempDir Path dir;

  @Test
  void builtModelPassesTheHeaderCheckAsAModelWithoutTensors() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTo(dir.resolve("m.bin"));

    GgmlHeader header = GgmlHeader.read(file);

    WhisperTestModel.HyperParameters tiny = WhisperTestModel.HyperParameters.TINY_MULTILINGUAL;
    assertThat(header.nVocab()).isEqualTo(tiny.nVocab());
    assertThat(header.nMels()).isEqualTo(tiny.nMels());
    assertThat(header.filterBins()).isEqualTo(WhisperTestModel.N_FFT / 2 + 1);
    assertThat(header.storedTokens()).isEqualTo(WhisperTestModel.TEXT_TOKENS);
    assertThat(header.empty()).isTrue();
  }

  @Test
  void builtModelHasTheSameHeaderFieldsAsWhisperCppsTestModel() throws Exception {
    Optional<Path> fixture = TestModels.fixture();
    assumeTrue(fixture.isPresent(), "whisper.cpp's test model is absent");
    Path built = WhisperTestModel.tinyMultilingual().writeTo(dir.resolve("m.bin"));

    GgmlHeader expected = GgmlHeader.read(fixture.get());
    GgmlHeader actual = GgmlHeader.read(built);

    // Everything but the sizes that depend on the (made-up) token texts.
    assertThat(actual).usingRecursiveComparison().ignoringFields("tensorsOffset", "fileSize").isEqualTo(expected);
    assertThat(expected.empty()).isTrue();
  }

  @Test
  void builtMelFiltersMatchWhisperCppsTestModel() throws Exception {
    Optional<Path> fixture = TestModels.fixture();
    assumeTrue(fixture.isPresent(), "whisper.cpp's test model is absent");
    Path built = WhisperTestModel.tinyMultilingual().writeTo(dir.resolve("m.bin"));

    float[] expected = filters(fixture.get());
    float[] actual = filters(built);

    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("filter weight %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void truncatedCopyIsCutWhereAsked() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTruncatedTo(dir.resolve("cut.bin"), 1_000);

    assertThat(Files.size(file)).isEqualTo(1_000);
    assertThat(Files.readAllBytes(file)).startsWith(0x6c, 0x6d, 0x67, 0x67);
  }

  private static float[] filters(Path file) throws IOException {
    GgmlHeader h;
    try {
      h = GgmlHeader.read(file);
    } catch (GgmlFormatException e) {
      throw new AssertionError(e);
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    b.position(GgmlHeader.FILTERS_OFFSET);
    float[] f = new float[h.filterBands() * h.filterBins()];
    b.asFloatBuffer().get(f);
    return f;
  }
}
