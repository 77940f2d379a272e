package soko.engine.whisper;

import java.util.Locale;
import java.util.Optional;

/**
 * A whisper.cpp model's weight type: the {@code ftype} hyper-parameter (without the quantisation
 * version, which quantised files add as {@code 1000 * version}), naming the type of the large
 * matrices. The convolution kernels stay float16 (float32 in a float32 file); biases, norms and
 * positional embeddings are always float32. {@link #label()} is the suffix of whisper.cpp's file
 * names ({@code ggml-medium-q5_0.bin}) and the value manifests give in {@code whisper.cpp.ftype}.
 */
enum WeightType {
  F32(0, GgmlType.F32),
  F16(1, GgmlType.F16),
  Q4_0(2, GgmlType.Q4_0),
  Q4_1(3, GgmlType.Q4_1),
  Q8_0(7, GgmlType.Q8_0),
  Q5_0(8, GgmlType.Q5_0),
  Q5_1(9, GgmlType.Q5_1),
  Q2_K(10, GgmlType.Q2_K),
  Q3_K(11, GgmlType.Q3_K),
  Q4_K(12, GgmlType.Q4_K),
  Q5_K(13, GgmlType.Q5_K),
  Q6_K(14, GgmlType.Q6_K);

  final int code;
  final GgmlType matrices;

  WeightType(int code, GgmlType matrices) {
    this.code = code;
    this.matrices = matrices;
  }

  static Optional<WeightType> ofCode(int code) {
    for (WeightType w : values()) {
      if (w.code == code) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /** The type for {@code label}, such as {@code q5_0} or {@code f16}, ignoring case. */
  static Optional<WeightType> ofLabel(String label) {
    for (WeightType w : values()) {
      if (w.label().equals(label.toLowerCase(Locale.ROOT))) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  GgmlType convolutions() {
    return this == F32 ? GgmlType.F32 : GgmlType.F16;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
