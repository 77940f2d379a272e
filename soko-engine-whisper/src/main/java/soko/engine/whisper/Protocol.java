package soko.engine.whisper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The framing between the host and its whisper.cpp child over the child's stdin and stdout.
 *
 * <p>Every message is one frame: a big-endian int32 payload length, then the payload, whose first
 * byte names the message. Strings are an int32 byte count and UTF-8 bytes. The conversation:
 *
 * <pre>
 *   child → READY      int32 protocol version, string whisper.cpp system info
 *   host  → LOAD       string model path
 *   child → LOADED     int64 load nanoseconds
 *         | REFUSED    string why the file is not a ggml model (child stays up, with no model)
 *         | FAILED     string what whisper.cpp said
 *   host  → TRANSCRIBE string language, byte translate (0/1), int32 threads, int32 n, n float32 samples
 *   child → SEGMENTS   int64 nanoseconds, int32 count, count * (int64 start ms, int64 end ms, string text)
 *         | FAILED     string what went wrong
 *   host closes stdin  → the child frees the model and exits with status 0
 * </pre>
 *
 * <p>Any other byte, or a frame that does not parse, means the channel is corrupt; the host then
 * stops the child.
 */
final class Protocol {
  static final int VERSION = 1;
  /** Larger frames are refused as corrupt; a TRANSCRIBE frame of this size carries about 9 hours of audio. */
  static final int MAX_FRAME = Integer.MAX_VALUE - 64;
  static final int MAX_SAMPLES = (MAX_FRAME - 1024) / Float.BYTES;
  private static final int MAX_STRING = 1 << 24;

  private Protocol() {}

  /** What a frame is. Codes are part of the wire format. */
  enum Kind {
    READY(1), LOAD(2), LOADED(3), REFUSED(4), FAILED(5), TRANSCRIBE(6), SEGMENTS(7);

    final byte code;

    Kind(int code) {
      this.code = (byte) code;
    }

    static Kind of(byte code) throws IOException {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IOException("unknown frame kind " + code);
    }
  }

  /** A frame's payload with its kind read off. */
  record Frame(Kind kind, ByteBuffer body) {
    String string() throws IOException {
      int n = int32();
      if (n < 0 || n > MAX_STRING || n > body.remaining()) {
        throw new IOException("bad string length " + n);
      }
      byte[] b = new byte[n];
      body.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    int int32() throws IOException {
      try {
        return body.getInt();
      } catch (BufferUnderflowException e) {
        throw new IOException("truncated " + kind + " frame", e);
      }
    }

    long int64() throws IOException {
      try {
        return body.getLong();
      } catch (BufferUnderflowException e) {
        throw new IOException("truncated " + kind + " frame", e);
      }
    }

    boolean flag() throws IOException {
      try {
        return body.get() != 0;
      } catch (BufferUnderflowException e) {
        throw new IOException("truncated " + kind + " frame", e);
      }
    }

    float[] floats() throws IOException {
      int n = int32();
      if (n < 0 || (long) n * Float.BYTES != body.remaining()) {
        throw new IOException("bad sample count " + n + " for " + body.remaining() + " bytes");
      }
      float[] f = new float[n];
      body.asFloatBuffer().get(f);
      body.position(body.limit());
      return f;
    }

    List<TimedText> segments() throws IOException {
      int n = int32();
      if (n < 0 || n > body.remaining()) {
        throw new IOException("bad segment count " + n);
      }
      List<TimedText> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long start = int64();
        long end = int64();
        String text = string();
        try {
          out.add(new TimedText(start, end, text));
        } catch (IllegalArgumentException e) {
          throw new IOException("bad segment: " + e.getMessage(), e);
        }
      }
      return out;
    }
  }

  /** Builds one frame's payload. */
  static final class Builder {
    private ByteBuffer buf;

    Builder(Kind kind, int capacity) {
      buf = ByteBuffer.allocate(Math.max(16, capacity));
      buf.put(kind.code);
    }

    Builder(Kind kind) {
      this(kind, 256);
    }

    private void room(long n) {
      if (buf.remaining() < n) {
        long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
        if (want > MAX_FRAME) {
          throw new IllegalArgumentException("a frame of " + want + " bytes is too large");
        }
        ByteBuffer bigger = ByteBuffer.allocate((int) want);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
    }

    Builder string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      room(4L + b.length);
      buf.putInt(b.length).put(b);
      return this;
    }

    Builder int32(int v) {
      room(4);
      buf.putInt(v);
      return this;
    }

    Builder int64(long v) {
      room(8);
      buf.putLong(v);
      return this;
    }

    Builder flag(boolean v) {
      room(1);
      buf.put((byte) (v ? 1 : 0));
      return this;
    }

    Builder floats(float[] samples) {
      room(4L + (long) Float.BYTES * samples.length);
      buf.putInt(samples.length);
      buf.asFloatBuffer().put(samples);
      buf.position(buf.position() + Float.BYTES * samples.length);
      return this;
    }

    Builder segments(List<TimedText> segments) {
      int32(segments.size());
      for (TimedText t : segments) {
        int64(t.startMillis()).int64(t.endMillis()).string(t.text());
      }
      return this;
    }

    /** Writes the frame and flushes. */
    void writeTo(DataOutputStream out) throws IOException {
      out.writeInt(buf.position());
      out.write(buf.array(), 0, buf.position());
      out.flush();
    }
  }

  /**
   * Reads one frame.
   *
   * @throws java.io.EOFException when the other side closed the channel before a frame began or ended
   */
  static Frame read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 1 || length > MAX_FRAME) {
      throw new IOException("bad frame length " + length);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    ByteBuffer body = ByteBuffer.wrap(payload);
    Kind kind = Kind.of(body.get());
    return new Frame(kind, body);
  }
}
