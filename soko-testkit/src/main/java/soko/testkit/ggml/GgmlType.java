package soko.testkit.ggml;

/**
 * The ggml tensor types a whisper.cpp model file uses, with their ids on disk and their storage:
 * {@code blockElements} values are stored in {@code blockBytes} bytes (quantised types store blocks
 * of 32 values with their scales).
 */
public enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q4_1(3, 32, 20),
  Q5_0(6, 32, 22),
  Q5_1(7, 32, 24),
  Q8_0(8, 32, 34);

  private final int id;
  private final int blockElements;
  private final int blockBytes;

  GgmlType(int id, int blockElements, int blockBytes) {
    this.id = id;
    this.blockElements = blockElements;
    this.blockBytes = blockBytes;
  }

  /** The type's number in a tensor record. */
  public int id() {
    return id;
  }

  public int blockElements() {
    return blockElements;
  }

  public int blockBytes() {
    return blockBytes;
  }

  /** Bytes that {@code elements} values of this type take; {@code elements} must fill whole blocks. */
  public long bytes(long elements) {
    if (elements % blockElements != 0) {
      throw new IllegalArgumentException(elements + " values do not fill whole " + this + " blocks of " + blockElements);
    }
    return elements / blockElements * blockBytes;
  }
}
