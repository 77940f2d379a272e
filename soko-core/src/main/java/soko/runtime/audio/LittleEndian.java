package soko.runtime.audio;

/** Little-endian integers, as WAV headers and samples store them. */
final class LittleEndian {
  private LittleEndian() {}

  static int u16(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
  }

  static long u32(byte[] b, int o) {
    return s32(b, o) & 0xFFFFFFFFL;
  }

  static int s32(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
  }
}
