package soko.testkit.ggml;

/**
 * A whisper.cpp model's weight type, the {@code ftype} hyper-parameter: the type of its large
 * matrices. whisper.cpp's quantiser writes quantised files with the quantisation version times 1000
 * added ({@link #headerValue()}); float files carry the bare number.
 */
public enum FileType {
  F32(0, GgmlType.F32),
  F16(1, GgmlType.F16),
  Q4_0(2, GgmlType.Q4_0),
  Q4_1(3, GgmlType.Q4_1),
  Q8_0(7, GgmlType.Q8_0),
  Q5_0(8, GgmlType.Q5_0),
  Q5_1(9, GgmlType.Q5_1);

  /** ggml's current quantisation format version, which quantised files record in their ftype. */
  public static final int QUANTISATION_VERSION = 2;
  /** ggml stores the quantisation version as ftype / 1000. */
  public static final int QUANTISATION_VERSION_FACTOR = 1000;

  private final int code;
  private final GgmlType weights;

  FileType(int code, GgmlType weights) {
    this.code = code;
    this.weights = weights;
  }

  /** The ftype number without the quantisation version. */
  public int code() {
    return code;
  }

  /** The type of the large weight matrices. */
  public GgmlType weights() {
    return weights;
  }

  /** The type of the two convolution kernels: float32 in a float32 file, else float16. */
  public GgmlType convolutions() {
    return this == F32 ? GgmlType.F32 : GgmlType.F16;
  }

  public boolean quantised() {
    return this != F32 && this != F16;
  }

  /** The ftype value as the header stores it. */
  public int headerValue() {
    return quantised() ? QUANTISATION_VERSION * QUANTISATION_VERSION_FACTOR + code : code;
  }
}
