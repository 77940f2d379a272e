package soko.engine.whisper;

import java.util.Optional;

/**
 * The tensor types a whisper.cpp ggml file may store, by their number in a tensor record, with how
 * they are stored: {@code blockElements} values take {@code blockBytes} bytes (quantised types
 * store blocks of values with their scales). Only the types whisper.cpp's converter and quantiser
 * write are known; any other number is refused.
 */
enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q4_1(3, 32, 20),
  Q5_0(6, 32, 22),
  Q5_1(7, 32, 24),
  Q8_0(8, 32, 34),
  Q2_K(10, 256, 84),
  Q3_K(11, 256, 110),
  Q4_K(12, 256, 144),
  Q5_K(13, 256, 176),
  Q6_K(14, 256, 210);

  final int id;
  final int blockElements;
  final int blockBytes;

  GgmlType(int id, int blockElements, int blockBytes) {
    this.id = id;
    this.blockElements = blockElements;
    this.blockBytes = blockBytes;
  }

  static Optional<GgmlType> of(int id) {
    for (GgmlType t : values()) {
      if (t.id == id) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The bytes {@code elements} values take, or -1 when they do not fill whole blocks. */
  long bytes(long elements) {
    return elements % blockElements == 0 ? elements / blockElements * blockBytes : -1;
  }

  /** The lower-case name whisper.cpp's file names use, such as {@code q5_0}. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
