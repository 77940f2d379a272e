package soko.engine.onnx.sentencepiece;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentencePieceModelTest {
  static byte[] model() throws Exception {
    return SentencePieceOracleTest.resource("ja-identity-raw.spm");
  }

  @Test
  void aTruncatedModelIsRefusedWithAClearMessage() throws Exception {
    byte[] cut = Arrays.copyOf(model(), 700);
    assertThatThrownBy(() -> SentencePieceModel.parse(cut))
        .isInstanceOf(SentencePieceFormatException.class)
        .hasMessageStartingWith("the SentencePiece model is truncated or corrupt: a field claims ");
  }

  @Test
  void aHugeLengthPrefixIsRefusedWithoutAllocatingIt() {
    // Field 1 (a piece), length-delimited, claiming 2^31 bytes.
    byte[] hostile = {0x0A, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 1, 2, 3};
    assertThatThrownBy(() -> SentencePieceModel.parse(hostile))
        .isInstanceOf(SentencePieceFormatException.class)
        .hasMessage("the SentencePiece model is truncated or corrupt: a field claims 2147483648 bytes but only 3 remain"
            + " (at byte 6)");
  }

  @Test
  void aFileWithoutPiecesIsNotAModel() {
    assertThatThrownBy(() -> SentencePieceModel.parse(new byte[0]))
        .isInstanceOf(SentencePieceFormatException.class)
        .hasMessage("the data has no pieces, so it is not a SentencePiece model");
  }

  @Test
  void anOversizedFileIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.spm");
    try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), SentencePieceModel.MAX_FILE_SIZE);
    }
    assertThatThrownBy(() -> SentencePieceModel.load(big))
        .isInstanceOf(SentencePieceFormatException.class)
        .hasMessage(big + " is 67108865 bytes; a SentencePiece model is at most 67108864 bytes, so this is not one");
  }

  @Test
  void randomlyDamagedModelsEitherLoadOrFailWithAFormatException() throws Exception {
    byte[] good = model();
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      byte[] bad = good.clone();
      for (int j = 0; j < 1 + random.nextInt(8); j++) {
        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
      }
      byte[] cut = random.nextBoolean() ? Arrays.copyOf(bad, random.nextInt(bad.length)) : bad;
      try {
        SentencePieceModel m = SentencePieceModel.parse(cut);
        m.encodeToIds("猫が窓のそばで寝ています。 Hello ｶﾀｶﾅ 😀");
      } catch (SentencePieceFormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void decodesWhatItEncodesForTextItKnows() throws Exception {
    SentencePieceModel m = SentencePieceModel.load(writeTo(Files.createTempFile("ja", ".spm"), model()));
    String text = "猫が窓のそばで寝ています。";
    assertThat(m.decodeIds(m.encodeToIds(text))).isEqualTo(text);
  }

  static Path writeTo(Path p, byte[] bytes) throws Exception {
    return Files.write(p, bytes);
  }
}
