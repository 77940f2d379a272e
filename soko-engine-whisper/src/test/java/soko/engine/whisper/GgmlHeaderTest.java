package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.ggml.WhisperTestModel;

/** The Java-side check that keeps files whisper.cpp would abort on away from native code. */
class GgmlHeaderTest {
  @TempDir Path dir;

  @Test
  void fileCutInsideTheMelFiltersIsRefused() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTruncatedTo(dir.resolve("cut.bin"), 1_000);

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .isInstanceOf(GgmlFormatException.class)
        .hasMessage("it ends at byte 1000, inside the mel filters (which need 64376 bytes); the file is cut short");
  }

  @Test
  void fileCutInsideTheVocabularyIsRefused() throws Exception {
    Path file = WhisperTestModel.tinyMultilingual().writeTruncatedTo(dir.resolve("cut.bin"), 100_000);

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .isInstanceOf(GgmlFormatException.class)
        .hasMessageStartingWith("it ends at byte 100000, inside the vocabulary");
  }

  @Test
  void fileWithoutTheMagicNumberIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("model.onnx"), "\u0008\u0007\u0012\u0004onnx-like bytes");

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .isInstanceOf(GgmlFormatException.class)
        .hasMessage("it does not start with the ggml magic number 0x67676d6c (found 0x04120708)");
  }

  @Test
  void emptyFileIsRefused() throws Exception {
    Path file = Files.write(dir.resolve("empty.bin"), new byte[0]);

    assertThatThrownBy(() -> GgmlHeader.read(file)).hasMessage("it is only 0 bytes long");
  }

  @Test
  void absurdHyperParameterIsRefused() throws Exception {
    byte[] bytes = WhisperTestModel.tinyMultilingual().toBytes();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 4 * 9, 1_000_000); // n_mels
    Path file = Files.write(dir.resolve("odd.bin"), bytes);

    assertThatThrownBy(() -> GgmlHeader.read(file)).hasMessage("its n_mels is 1000000, outside 1..1024");
  }

  @Test
  void tokenLongerThanAnyRealTokenIsRefused() throws Exception {
    byte[] bytes = WhisperTestModel.tinyMultilingual().toBytes();
    int firstToken = GgmlHeader.FILTERS_OFFSET + 4 * 80 * 201 + 4;
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(firstToken, -2);
    Path file = Files.write(dir.resolve("odd.bin"), bytes);

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("vocabulary token 0 claims 4294967294 bytes; at most 4096 are allowed");
  }

  @Test
  void vocabularyWithoutTheSpaceTokenWhisperCppNeedsIsRefused() throws Exception {
    var noVocabulary = new WhisperTestModel(WhisperTestModel.HyperParameters.TINY_MULTILINGUAL, 0);
    Path file = noVocabulary.writeTo(dir.resolve("novocab.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("its vocabulary has no single-space token, without which whisper.cpp aborts");
  }

  @Test
  void textThatStartsLikeAModelIsRefused() throws Exception {
    Path file = Files.write(dir.resolve("notes.bin"), "lmgg is not enough".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("it ends at byte 18, inside the hyper-parameters (which need 48 bytes); the file is cut short");
  }
}
