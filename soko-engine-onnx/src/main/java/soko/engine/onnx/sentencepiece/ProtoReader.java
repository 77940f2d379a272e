package soko.engine.onnx.sentencepiece;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads the protobuf wire format over a byte range, checking every length against the bytes that
 * remain, so that a hostile file fails with a message instead of a huge allocation.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] data;
  private int pos;
  private final int end;
  private final String what;

  ProtoReader(byte[] data, int from, int to, String what) {
    this.data = data;
    this.pos = from;
    this.end = to;
    this.what = what;
  }

  boolean atEnd() {
    return pos >= end;
  }

  /** The next tag (field number << 3 | wire type). */
  int tag() throws SentencePieceFormatException {
    long tag = varint();
    if (tag <= 0 || tag > Integer.MAX_VALUE) {
      throw broken("a field tag " + tag + " is invalid");
    }
    return (int) tag;
  }

  long varint() throws SentencePieceFormatException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw broken("a number runs past the end of the data");
      }
      byte b = data[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw broken("a number is longer than 10 bytes");
  }

  float fixed32Float() throws SentencePieceFormatException {
    return Float.intBitsToFloat(fixed32());
  }

  int fixed32() throws SentencePieceFormatException {
    need(4);
    int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16 | (data[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  /** A length-delimited field's contents as a reader of its own. */
  ProtoReader message(String name) throws SentencePieceFormatException {
    int length = length();
    ProtoReader sub = new ProtoReader(data, pos, pos + length, name);
    pos += length;
    return sub;
  }

  byte[] bytes() throws SentencePieceFormatException {
    int length = length();
    byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + length);
    pos += length;
    return out;
  }

  String string() throws SentencePieceFormatException {
    int length = length();
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, pos, length))
          .toString();
      pos += length;
      return s;
    } catch (CharacterCodingException e) {
      throw new SentencePieceFormatException(what + " has a string that is not UTF-8", e);
    }
  }

  void skip(int wireType) throws SentencePieceFormatException {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> {
        need(8);
        pos += 8;
      }
      case LENGTH_DELIMITED -> {
        int n = length(); // before the +=, which would read pos first
        pos += n;
      }
      case FIXED32 -> {
        need(4);
        pos += 4;
      }
      default -> throw broken("wire type " + wireType + " is not used by SentencePiece models");
    }
  }

  private int length() throws SentencePieceFormatException {
    long length = varint();
    if (length < 0 || length > end - pos) {
      throw broken("a field claims " + length + " bytes but only " + (end - pos) + " remain");
    }
    return (int) length;
  }

  private void need(int n) throws SentencePieceFormatException {
    if (end - pos < n) {
      throw broken("a field runs past the end of the data");
    }
  }

  SentencePieceFormatException broken(String why) {
    return new SentencePieceFormatException(what + " is truncated or corrupt: " + why + " (at byte " + pos + ")");
  }
}
