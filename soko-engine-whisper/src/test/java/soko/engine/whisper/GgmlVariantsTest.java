package soko.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import soko.testkit.ggml.FileType;
import soko.testkit.ggml.GgmlType;
import soko.testkit.ggml.WhisperTestModel;
import soko.testkit.ggml.WhisperTestModel.HyperParameters;
import soko.testkit.ggml.WhisperTestModel.Tensor;

/**
 * The header check on every whisper.cpp variant Soko's catalog offers: the five sizes, the 128-mel
 * large-v3 family, distilled decoders and quantised weights, and files whose tensors are wrong.
 */
class GgmlVariantsTest {
  @TempDir Path dir;

  static Stream<Arguments> families() {
    List<Arguments> all = new ArrayList<>();
    Object[][] shapes = {
        {"tiny", HyperParameters.TINY_MULTILINGUAL, 4, 80},
        {"base", HyperParameters.BASE, 6, 80},
        {"small", HyperParameters.SMALL, 12, 80},
        {"medium", HyperParameters.MEDIUM, 24, 80},
        {"large-v3", HyperParameters.LARGE_V3, 32, 128},
        {"large-v3", HyperParameters.LARGE_V3_TURBO, 4, 128},
        {"large-v3", HyperParameters.KOTOBA_WHISPER_V2, 2, 128},
    };
    for (Object[] s : shapes) {
      for (FileType f : List.of(FileType.F16, FileType.Q5_0, FileType.Q5_1, FileType.Q8_0)) {
        all.add(Arguments.of(s[0], ((HyperParameters) s[1]).withFileType(f), s[2], s[3], f));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} with a {2}-layer decoder, {4}")
  @MethodSource("families")
  void everyFamilyAndWeightTypeIsRecognised(String family, HyperParameters h, int decoderLayers, int mels, FileType f)
      throws Exception {
    Path file = WhisperTestModel.of(h).writeTo(dir.resolve("m.bin"));

    GgmlHeader header = GgmlHeader.read(file);

    assertThat(header.family()).isEqualTo(family);
    assertThat(header.nTextLayer()).isEqualTo(decoderLayers);
    assertThat(header.distilledDecoder()).isEqualTo(decoderLayers < h.nAudioLayer());
    assertThat(header.nMels()).isEqualTo(mels);
    assertThat(header.filterBands()).isEqualTo(mels);
    assertThat(header.weightType().label()).isEqualTo(f.name().toLowerCase(java.util.Locale.ROOT));
    assertThat(header.quantisationVersion()).isEqualTo(f.quantised() ? 2 : 0);
    assertThat(header.empty()).isTrue();
  }

  /** Kotoba-Whisper's layer counts and vocabulary at width 64, so that every tensor fits in a few MB. */
  private static HyperParameters kotobaShaped(FileType f) {
    return new HyperParameters(51_866, 1_500, 64, 1, 32, 448, 64, 1, 2, 128, f.headerValue());
  }

  @Test
  void aDistilledLargeV3ShapedFileWithEveryTensorIsReadWithItsTensorTypes() throws Exception {
    Path file = WhisperTestModel.of(kotobaShaped(FileType.Q5_0)).withTensors().writeTo(dir.resolve("m.bin"));

    GgmlHeader header = GgmlHeader.read(file);

    // 11 global tensors, 15 per encoder block, 24 per decoder block (self- and cross-attention).
    assertThat(header.tensorCount()).isEqualTo(11 + 15 * 32 + 24 * 2);
    // Quantised: q, k, v, out and two MLP matrices per encoder block, ten matrices per decoder block,
    // the token embedding. The two convolution kernels stay float16; the rest is float32.
    int quantised = 6 * 32 + 10 * 2 + 1;
    assertThat(header.tensorTypes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        soko.engine.whisper.GgmlType.Q5_0, quantised,
        soko.engine.whisper.GgmlType.F16, 2,
        soko.engine.whisper.GgmlType.F32, header.tensorCount() - quantised - 2));
    assertThat(header.describe()).isEqualTo("large-v3 shape with a 2-layer decoder (n_audio_layer 32, n_text_layer 2,"
        + " n_audio_state 64, n_mels 128, n_vocab 51866), q5_0 weights");
    assertThat(header.empty()).isFalse();
  }

  @Test
  void aFloatFileKeepsItsConvolutionsInFloat16() throws Exception {
    Path file = WhisperTestModel.of(kotobaShaped(FileType.F16)).withTensors().writeTo(dir.resolve("m.bin"));

    GgmlHeader header = GgmlHeader.read(file);

    assertThat(header.tensorTypes()).containsEntry(soko.engine.whisper.GgmlType.F16, 6 * 32 + 10 * 2 + 1 + 2);
  }

  @Test
  void aFileTooShortForItsLastTensorIsRefused() throws Exception {
    WhisperTestModel m = WhisperTestModel.of(kotobaShaped(FileType.Q5_1)).withTensors();
    long size = m.fileSize();
    Path file = m.writeTruncatedTo(dir.resolve("m.bin"), size - 100);

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .isInstanceOf(GgmlFormatException.class)
        .hasMessage("it ends at byte " + (size - 100) + ", inside the data of tensor \"decoder.ln.bias\" (which need "
            + size + " bytes); the file is cut short");
  }

  @Test
  void aFileCutInsideATensorRecordIsRefused() throws Exception {
    WhisperTestModel m = WhisperTestModel.of(kotobaShaped(FileType.Q8_0)).withTensors();
    long start = m.tensorsOffset();
    Path file = m.writeTruncatedTo(dir.resolve("m.bin"), start + 5);

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("it ends at byte " + (start + 5) + ", inside the record of tensor #0 (which need " + (start + 12)
            + " bytes); the file is cut short");
  }

  @Test
  void aFileMissingATensorIsRefused() throws Exception {
    WhisperTestModel full = WhisperTestModel.of(kotobaShaped(FileType.Q5_0)).withTensors();
    List<Tensor> tensors = new ArrayList<>(full.tensors());
    Tensor dropped = tensors.removeLast();
    Path file = full.withTensors(tensors).writeTo(dir.resolve("m.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("it holds 538 of the 539 tensors its hyper-parameters call for (\"" + dropped.name()
            + "\" is missing); the file is incomplete");
  }

  @Test
  void aThirdDecoderBlockInATwoLayerDecoderIsRefused() throws Exception {
    WhisperTestModel full = WhisperTestModel.of(kotobaShaped(FileType.Q5_0)).withTensors();
    List<Tensor> tensors = new ArrayList<>(full.tensors());
    tensors.add(new Tensor("decoder.blocks.2.mlp.0.weight", List.of(64, 256), GgmlType.Q5_0));
    Path file = full.withTensors(tensors).writeTo(dir.resolve("m.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("it has a tensor \"decoder.blocks.2.mlp.0.weight\" that a model of large-v3 shape with 2 decoder"
            + " layers does not have");
  }

  @Test
  void aMatrixStoredInAnotherTypeThanTheHeaderSaysIsRefused() throws Exception {
    WhisperTestModel full = WhisperTestModel.of(kotobaShaped(FileType.Q5_0)).withTensors();
    List<Tensor> tensors = full.tensors().stream()
        .map(t -> t.name().equals("encoder.blocks.0.attn.query.weight") ? t.withType(GgmlType.F16) : t)
        .toList();
    Path file = full.withTensors(tensors).writeTo(dir.resolve("m.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("tensor \"encoder.blocks.0.attn.query.weight\" is stored as f16 where a model with q5_0 weights"
            + " stores q5_0");
  }

  @Test
  void an80MelConvolutionInA128MelModelIsRefused() throws Exception {
    WhisperTestModel full = WhisperTestModel.of(kotobaShaped(FileType.F16)).withTensors();
    List<Tensor> tensors = full.tensors().stream()
        .map(t -> t.name().equals("encoder.conv1.weight") ? new Tensor(t.name(), List.of(3, 80, 64), t.type()) : t)
        .toList();
    Path file = full.withTensors(tensors).writeTo(dir.resolve("m.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("tensor \"encoder.conv1.weight\" has shape [3, 80, 64] where its header's hyper-parameters call for"
            + " [3, 128, 64]");
  }

  @Test
  void aTensorTypeGgmlDoesNotKnowIsRefused() throws Exception {
    WhisperTestModel full = WhisperTestModel.of(kotobaShaped(FileType.F16)).withTensors();
    Path file = full.writeTo(dir.resolve("m.bin"));
    byte[] bytes = Files.readAllBytes(file);
    int typeField = Math.toIntExact(full.tensorsOffset() + 8);
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(typeField, 99);
    Files.write(file, bytes);

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("tensor \"" + full.tensors().getFirst().name() + "\" has type 99, which is no ggml type whisper.cpp"
            + " reads");
  }

  @Test
  void aWeightTypeWhisperCppDoesNotReadIsRefused() throws Exception {
    HyperParameters t = HyperParameters.TINY_MULTILINGUAL;
    var odd = new HyperParameters(t.nVocab(), t.nAudioCtx(), t.nAudioState(), t.nAudioHead(), t.nAudioLayer(),
        t.nTextCtx(), t.nTextState(), t.nTextHead(), t.nTextLayer(), t.nMels(), 2_005);
    Path file = WhisperTestModel.of(odd).writeTo(dir.resolve("m.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("its weight type (ftype) 2005 is not a ggml weight type whisper.cpp reads");
  }

  @Test
  void aVocabularyTooSmallForWhispersSpecialTokensIsRefused() throws Exception {
    var small = new HyperParameters(1_000, 1_500, 64, 1, 2, 448, 64, 1, 2, 80, 1);
    Path file = new WhisperTestModel(small, 96).writeTo(dir.resolve("m.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("its n_vocab is 1000, but whisper.cpp's special and timestamp tokens need at least 51864");
  }

  @Test
  void quantisedWeightsWhoseBlocksDoNotDivideTheWidthAreRefused() throws Exception {
    // Even without tensors: whisper.cpp creates its tensors from the header, and ggml cannot lay out
    // 48-value rows in blocks of 32.
    var odd = new HyperParameters(51_865, 1_500, 48, 1, 2, 448, 48, 1, 2, 80, FileType.Q5_0.headerValue());
    Path file = WhisperTestModel.of(odd).writeTo(dir.resolve("m.bin"));

    assertThatThrownBy(() -> GgmlHeader.read(file))
        .hasMessage("its q5_0 weights come in blocks of 32, which do not divide its width (n_audio_state) 48");
  }
}
