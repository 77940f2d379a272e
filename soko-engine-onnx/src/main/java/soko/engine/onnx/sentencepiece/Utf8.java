package soko.engine.onnx.sentencepiece;

/** UTF-8 checks as SentencePiece makes them. */
final class Utf8 {
  static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private Utf8() {}

  /** The length the lead byte announces, 1 for a stray continuation byte. */
  static int charLength(byte lead) {
    int hi = (lead & 0xff) >>> 4;
    return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
  }

  /** The length of a valid UTF-8 character at {@code from}, or 0 when the bytes there are not one. */
  static int validLength(byte[] s, int from) {
    int b0 = s[from] & 0xff;
    if (b0 < 0x80) {
      return 1;
    }
    int n;
    int cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3;
      cp = b0 & 0x0f;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4;
      cp = b0 & 0x07;
    } else {
      return 0;
    }
    if (from + n > s.length) {
      return 0;
    }
    for (int i = 1; i < n; i++) {
      int b = s[from + i] & 0xff;
      if ((b & 0xC0) != 0x80) {
        return 0;
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    boolean overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) {
      return 0;
    }
    return n;
  }
}
