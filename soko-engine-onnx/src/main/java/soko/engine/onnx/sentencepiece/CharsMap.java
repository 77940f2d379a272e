package soko.engine.onnx.sentencepiece;

/**
 * A precompiled normalisation map: a darts-clone double-array trie from UTF-8 byte sequences to
 * offsets into a block of NUL-terminated replacement strings. SentencePiece models carry one, and
 * Hugging Face {@code tokenizer.json} files carry the same bytes in base64 as a {@code Precompiled}
 * normalizer; the two read it differently ({@link #longestMatch} and {@link #firstMatch}).
 *
 * <p>Layout: a little-endian uint32 N, then N bytes of trie (uint32 units), then the replacements.
 * A unit holds: bit 8 "has a leaf", bits 0-7 the label, bits 10-31 an offset (shifted left by 8 when
 * bit 9 is set); a leaf unit holds a 31-bit value.
 *
 * <p>Immutable and thread-safe.
 */
public final class CharsMap {
  private final int[] units;
  private final byte[] replacements;

  private CharsMap(int[] units, byte[] replacements) {
    this.units = units;
    this.replacements = replacements;
  }

  /**
   * Reads a map.
   *
   * @throws SentencePieceFormatException when the bytes are truncated or a rule points outside them
   */
  public static CharsMap parse(byte[] blob) throws SentencePieceFormatException {
    if (blob.length <= 4) {
      throw new SentencePieceFormatException("the normalisation map is truncated: it has " + blob.length + " bytes");
    }
    long trieSize = (blob[0] & 0xffL) | (blob[1] & 0xffL) << 8 | (blob[2] & 0xffL) << 16 | (blob[3] & 0xffL) << 24;
    if (trieSize + 4 > blob.length || trieSize % 4 != 0 || trieSize == 0) {
      throw new SentencePieceFormatException("the normalisation map is corrupt: its trie claims " + trieSize
          + " bytes of " + (blob.length - 4));
    }
    int[] units = new int[(int) (trieSize / 4)];
    for (int i = 0; i < units.length; i++) {
      int p = 4 + 4 * i;
      units[i] = (blob[p] & 0xff) | (blob[p + 1] & 0xff) << 8 | (blob[p + 2] & 0xff) << 16 | (blob[p + 3] & 0xff) << 24;
    }
    byte[] replacements = java.util.Arrays.copyOfRange(blob, (int) trieSize + 4, blob.length);
    for (int unit : units) {
      if (unit < 0 && value(unit) >= replacements.length) {
        throw new SentencePieceFormatException("the normalisation map is corrupt: a rule points at byte "
            + value(unit) + " of " + replacements.length);
      }
    }
    return new CharsMap(units, replacements);
  }

  private static boolean hasLeaf(int unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static int value(int unit) {
    return unit & 0x7fffffff;
  }

  private static int label(int unit) {
    return unit & (0x80000000 | 0xff);
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  /**
   * The longest rule matching {@code input} at {@code from}: its length in bytes in the high 32 bits
   * and its replacement offset in the low 32 bits, or -1 when no rule matches.
   */
  long longestMatch(byte[] input, int from) {
    long best = -1;
    int node = 0;
    node ^= offset(units[0]);
    for (int i = from; i < input.length; i++) {
      int key = input[i] & 0xff;
      node ^= key;
      if (node < 0 || node >= units.length) {
        return best;
      }
      int unit = units[node];
      if (label(unit) != key) {
        return best;
      }
      node ^= offset(unit);
      if (node < 0 || node >= units.length) {
        return best;
      }
      if (hasLeaf(unit) && units[node] < 0) {
        best = ((long) (i - from + 1) << 32) | value(units[node]);
      }
    }
    return best;
  }

  /**
   * The first (shortest) rule matching a prefix of {@code key}, as the Hugging Face tokenizers
   * library looks rules up: bytes after a NUL byte are not considered. Returns the rule's
   * replacement offset, or -1 when no prefix of the key has a rule.
   */
  public int firstMatch(byte[] key) {
    int node = offset(units[0]);
    for (byte b : key) {
      int k = b & 0xff;
      if (k == 0) {
        return -1;
      }
      node ^= k;
      if (node < 0 || node >= units.length) {
        return -1;
      }
      int unit = units[node];
      if (label(unit) != k) {
        return -1;
      }
      node ^= offset(unit);
      if (node < 0 || node >= units.length) {
        return -1;
      }
      if (hasLeaf(unit)) {
        return units[node] < 0 ? value(units[node]) : -1;
      }
    }
    return -1;
  }

  /** The replacement block, which holds the NUL-terminated replacements. */
  public byte[] replacements() {
    return replacements.clone();
  }

  /** The replacement bytes at an offset, up to the next NUL. */
  public byte[] replacement(int offset) {
    if (offset < 0 || offset >= replacements.length) {
      // parse() checked every leaf, and longestMatch() returns leaves only.
      throw new IllegalStateException("replacement offset " + offset + " outside " + replacements.length);
    }
    int end = offset;
    while (end < replacements.length && replacements[end] != 0) {
      end++;
    }
    return java.util.Arrays.copyOfRange(replacements, offset, end);
  }
}
