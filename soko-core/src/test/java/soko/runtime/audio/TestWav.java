package soko.runtime.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes WAV bytes for tests: well-formed files in every encoding the reader accepts, and, by
 * overriding header fields, files whose headers lie.
 */
final class TestWav {
  static final int PCM = 1;
  static final int FLOAT = 3;
  static final int EXTENSIBLE = 0xFFFE;

  int formatTag = PCM;
  int channels = 1;
  int sampleRate = 16_000;
  int bitsPerSample = 16;
  boolean extensible;
  /** Overrides the computed header fields when set. */
  Integer blockAlign;
  Long byteRate;
  Long declaredDataSize;
  Integer validBits;
  int fmtChunkSize = -1;
  byte[] beforeData = new byte[0];
  byte[] data = new byte[0];
  boolean dataBeforeFmt;

  static TestWav of(Encoding encoding, int channels, int sampleRate, double[][] samplesByChannel) {
    TestWav w = new TestWav();
    w.formatTag = encoding == Encoding.FLOAT32 || encoding == Encoding.FLOAT64 ? FLOAT : PCM;
    w.bitsPerSample = encoding.bytes() * 8;
    w.channels = channels;
    w.sampleRate = sampleRate;
    w.data = encode(encoding, samplesByChannel);
    return w;
  }

  /** Interleaves and encodes samples in [-1, 1]. */
  static byte[] encode(Encoding encoding, double[][] samplesByChannel) {
    int channels = samplesByChannel.length;
    int frames = samplesByChannel[0].length;
    ByteBuffer b = ByteBuffer.allocate(frames * channels * encoding.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (int f = 0; f < frames; f++) {
      for (int c = 0; c < channels; c++) {
        double v = samplesByChannel[c][f];
        switch (encoding) {
          case PCM_U8 -> b.put((byte) (Math.round(v * 127) + 128));
          case PCM_S16 -> b.putShort((short) Math.round(v * 32767));
          case PCM_S24 -> {
            int s = (int) Math.round(v * 8388607);
            b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
          }
          case PCM_S32 -> b.putInt((int) Math.round(v * 2147483647.0));
          case FLOAT32 -> b.putFloat((float) v);
          case FLOAT64 -> b.putDouble(v);
        }
      }
    }
    return b.array();
  }

  byte[] bytes() {
    int tag = extensible ? EXTENSIBLE : formatTag;
    int align = blockAlign != null ? blockAlign : channels * bitsPerSample / 8;
    long rate = byteRate != null ? byteRate : (long) sampleRate * align;
    ByteBuffer fmt = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
    fmt.putShort((short) tag).putShort((short) channels).putInt(sampleRate).putInt((int) rate)
        .putShort((short) align).putShort((short) bitsPerSample);
    if (extensible) {
      fmt.putShort((short) 22).putShort((short) (validBits != null ? validBits : bitsPerSample))
          .putInt(channels == 1 ? 0x4 : 0x3).putShort((short) formatTag)
          .put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
              (byte) 0x9B, 0x71});
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] fmtChunk = chunk("fmt ", fmt.array(), fmtChunkSize >= 0 ? fmtChunkSize : fmt.capacity());
    byte[] dataChunk = chunk("data", data, declaredDataSize != null ? declaredDataSize : data.length);
    body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
    if (dataBeforeFmt) {
      body.writeBytes(dataChunk);
      body.writeBytes(fmtChunk);
    } else {
      body.writeBytes(fmtChunk);
      body.writeBytes(beforeData);
      body.writeBytes(dataChunk);
    }
    ByteBuffer riff = ByteBuffer.allocate(8 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
    riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body.size()).put(body.toByteArray());
    return riff.array();
  }

  /** A chunk with a header claiming {@code declaredSize}, its content, and a padding byte when the content is odd. */
  static byte[] chunk(String id, byte[] content, long declaredSize) {
    ByteBuffer b = ByteBuffer.allocate(8 + content.length + (content.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt((int) declaredSize).put(content);
    return b.array();
  }

  static double[] sine(double frequency, double amplitude, int sampleRate, int length) {
    double[] s = new double[length];
    for (int i = 0; i < length; i++) {
      s[i] = amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate);
    }
    return s;
  }
}
