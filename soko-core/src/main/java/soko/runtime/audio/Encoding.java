package soko.runtime.audio;

/** How a WAV file stores one sample. */
enum Encoding {
  PCM_U8(8, "8-bit PCM"),
  PCM_S16(16, "16-bit PCM"),
  PCM_S24(24, "24-bit PCM"),
  PCM_S32(32, "32-bit PCM"),
  FLOAT32(32, "32-bit float"),
  FLOAT64(64, "64-bit float");

  private final int bits;
  private final String label;

  Encoding(int bits, String label) {
    this.bits = bits;
    this.label = label;
  }

  int bytes() {
    return bits / 8;
  }

  @Override
  public String toString() {
    return label;
  }
}
