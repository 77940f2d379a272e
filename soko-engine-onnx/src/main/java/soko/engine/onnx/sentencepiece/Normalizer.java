package soko.engine.onnx.sentencepiece;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import soko.engine.onnx.trie.Trie;

/**
 * SentencePiece's normaliser: applies the precompiled map rule by rule (longest match first), keeps
 * user-defined pieces untouched, replaces invalid UTF-8 with U+FFFD, drops leading, trailing and
 * repeated spaces, adds the dummy-prefix space, and writes spaces as "▁".
 */
final class Normalizer {
  static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81}; // U+2581 ▁

  private final Optional<CharsMap> map;
  private final Trie userDefined;
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;

  Normalizer(Optional<CharsMap> map, Trie userDefined, boolean addDummyPrefix, boolean removeExtraWhitespaces,
      boolean escapeWhitespaces) {
    this.map = map;
    this.userDefined = userDefined;
    this.addDummyPrefix = addDummyPrefix;
    this.removeExtraWhitespaces = removeExtraWhitespaces;
    this.escapeWhitespaces = escapeWhitespaces;
  }

  boolean addsDummyPrefix() {
    return addDummyPrefix;
  }

  boolean removesExtraWhitespaces() {
    return removeExtraWhitespaces;
  }

  /** The normalised form of one prefix of {@code input} at {@code from}, and how many bytes it consumed. */
  private record Prefix(byte[] normalized, int consumed) {}

  private Prefix normalizePrefix(byte[] input, int from) {
    int user = userDefined.longestMatch(input, from);
    if (user > 0) {
      return new Prefix(java.util.Arrays.copyOfRange(input, from, from + user), user);
    }
    if (map.isPresent()) {
      long match = map.get().longestMatch(input, from);
      if (match >= 0) {
        return new Prefix(map.get().replacement((int) match), (int) (match >>> 32));
      }
    }
    int n = Utf8.validLength(input, from);
    if (n == 0) {
      return new Prefix(Utf8.REPLACEMENT, 1);
    }
    return new Prefix(java.util.Arrays.copyOfRange(input, from, from + n), n);
  }

  private static boolean isSpace(byte[] b) {
    return b.length == 1 && b[0] == ' ';
  }

  byte[] normalize(byte[] input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 3 / 2 + 4);
    int pos = 0;
    if (removeExtraWhitespaces) {
      while (pos < input.length) {
        Prefix p = normalizePrefix(input, pos);
        if (!isSpace(p.normalized())) {
          break;
        }
        pos += p.consumed();
      }
    }
    if (pos >= input.length) {
      return new byte[0];
    }
    if (addDummyPrefix) {
      writeSpace(out);
    }
    boolean prevSpace = removeExtraWhitespaces;
    while (pos < input.length) {
      Prefix p = normalizePrefix(input, pos);
      byte[] sp = p.normalized();
      int start = 0;
      while (prevSpace && start < sp.length && sp[start] == ' ') {
        start++;
      }
      if (start < sp.length) {
        for (int i = start; i < sp.length; i++) {
          if (escapeWhitespaces && sp[i] == ' ') {
            out.writeBytes(SPACE_SYMBOL);
          } else {
            out.write(sp[i]);
          }
        }
        prevSpace = sp[sp.length - 1] == ' ';
      }
      pos += p.consumed();
      if (!removeExtraWhitespaces) {
        prevSpace = false;
      }
    }
    byte[] result = out.toByteArray();
    int len = result.length;
    if (removeExtraWhitespaces) {
      byte[] space = escapeWhitespaces ? SPACE_SYMBOL : new byte[] {' '};
      while (endsWith(result, len, space)) {
        len -= space.length;
      }
    }
    return len == result.length ? result : java.util.Arrays.copyOf(result, len);
  }

  private void writeSpace(ByteArrayOutputStream out) {
    if (escapeWhitespaces) {
      out.writeBytes(SPACE_SYMBOL);
    } else {
      out.write(' ');
    }
  }

  private static boolean endsWith(byte[] s, int len, byte[] suffix) {
    if (len < suffix.length) {
      return false;
    }
    for (int i = 0; i < suffix.length; i++) {
      if (s[len - suffix.length + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }
}
