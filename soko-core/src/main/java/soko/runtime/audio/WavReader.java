package soko.runtime.audio;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import soko.runtime.Audio;
import soko.runtime.AudioFormatException;
import soko.runtime.AudioStream;

/**
 * Parses one WAV stream: {@link #open} reads the header and gives a {@link Decoder} of the audio,
 * block by block; {@link #read} reads it all into memory. Not thread-safe; use once.
 */
final class WavReader {
  /** A fmt chunk larger than this is not a WAV fmt chunk (the extensible one is 40 bytes). */
  private static final int MAX_FMT_BYTES = 1024;
  /** Bytes decoded per read. */
  private static final int BLOCK_BYTES = 64 * 1024;
  /** Output preallocated for a stream of unknown size: one minute, grown as audio really arrives. */
  private static final int STREAM_INITIAL_SAMPLES = 60 * Audio.SAMPLE_RATE;
  static final String CONVERT = "e.g. sox in.wav -e signed-integer -b 16 out.wav";

  private final String name;
  private final InputStream in;
  private final OptionalLong size;
  private long position;

  WavReader(String name, InputStream in, OptionalLong size) {
    this.name = name;
    this.in = in;
    this.size = size;
  }

  /** Reads the whole audio into memory, at most {@link Wav#MAX_DURATION} of it. */
  Audio read() throws IOException, AudioFormatException {
    Decoder decoder = open();
    long outLength = decoder.length();
    // Known size: the data chunk was checked against the bytes really present. Stream: grow as data arrives.
    int initial = size.isPresent() ? (int) outLength : (int) Math.min(outLength, STREAM_INITIAL_SAMPLES);
    FloatBuilder output = new FloatBuilder(initial, (int) outLength);
    float[] block = new float[BLOCK_BYTES];
    int n;
    while ((n = decoder.read(block)) > 0) {
      for (int i = 0; i < n; i++) {
        output.accept(block[i]);
      }
    }
    return Audio.of(output.toArray());
  }

  /**
   * Parses the header up to the first byte of the data chunk, checking everything it says, and
   * returns the decoder of the data, which reads it block by block.
   */
  Decoder open() throws IOException, AudioFormatException {
    if (size.isPresent() && size.getAsLong() > Wav.MAX_BYTES) {
      throw fail("the file is " + describeBytes(size.getAsLong()) + "; WAV input is limited to 2 GiB");
    }
    byte[] riff = new byte[12];
    int got = in.readNBytes(riff, 0, riff.length);
    position += got;
    String magic = ascii(riff, 0, Math.min(4, got));
    if (got >= 4 && (magic.equals("RF64") || magic.equals("BW64"))) {
      throw fail(magic + " (WAV larger than 4 GiB) is not supported; use a RIFF WAV file (" + CONVERT + ")");
    }
    if (got < 12 || !magic.equals("RIFF") || !ascii(riff, 8, 4).equals("WAVE")) {
      throw fail("not a WAV file (it does not start with RIFF....WAVE); convert it to WAV (e.g. ffmpeg -i in.m4a -ar 16000 -ac 1 out.wav)");
    }
    WavFormat format = null;
    while (true) {
      byte[] header = new byte[8];
      int n = in.readNBytes(header, 0, 8);
      position += n;
      if (n < 8) {
        throw fail(format == null ? "no fmt chunk; the file is damaged" : "no data chunk; the file has no audio");
      }
      String id = ascii(header, 0, 4);
      long chunkSize = LittleEndian.u32(header, 4);
      if (id.equals("fmt ")) {
        if (format != null) {
          throw fail("two fmt chunks; the file is damaged");
        }
        if (chunkSize < 16 || chunkSize > MAX_FMT_BYTES) {
          throw fail("the fmt chunk is " + chunkSize + " bytes, but a WAV fmt chunk is 16 to 40 bytes; the file is damaged");
        }
        byte[] fmt = readExactly((int) chunkSize, "the fmt chunk");
        format = FmtChunk.parse(fmt, name);
        skipPadding(chunkSize);
      } else if (id.equals("data")) {
        if (format == null) {
          throw fail("the data chunk comes before the fmt chunk; the file is damaged");
        }
        return decoder(format, chunkSize);
      } else {
        checkFits(chunkSize, "the \"" + printable(id) + "\" chunk");
        skipExactly(chunkSize + (chunkSize & 1), "the \"" + printable(id) + "\" chunk");
      }
    }
  }

  private Decoder decoder(WavFormat format, long dataSize) throws AudioFormatException {
    int blockAlign = format.blockAlign();
    if (dataSize == 0) {
      throw fail("the data chunk is empty; the file has no audio");
    }
    if (dataSize % blockAlign != 0) {
      throw fail("the data chunk is " + dataSize + " bytes, not a whole number of " + blockAlign
          + "-byte frames; the file is truncated or damaged");
    }
    checkFits(dataSize, "the data chunk");
    long frames = dataSize / blockAlign;
    long maxFrames = Wav.MAX_DURATION.toSeconds() * format.sampleRate();
    if (frames > maxFrames) {
      throw fail(describeDuration(frames / format.sampleRate()) + " of audio is longer than the "
          + describeDuration(Wav.MAX_DURATION.toSeconds()) + " limit; split it into shorter files"
          + " (e.g. sox in.wav out.wav trim 0 3600 : newfile : restart)");
    }
    return new Decoder(format, frames);
  }

  /**
   * The data chunk's frames as 16 kHz mono samples, decoded {@value #BLOCK_BYTES} bytes at a time
   * and resampled as they come: memory does not grow with the length of the audio.
   */
  final class Decoder implements AudioStream {
    private final WavFormat format;
    private final long frames;
    private final long length;
    private final @Nullable Resampler resampler;
    private final byte[] bytes;
    private final float[] mono;
    private final int blockFrames;
    /** Decoded samples not yet read: pending[pendingStart, pendingEnd). */
    private float[] pending;
    private int pendingStart;
    private int pendingEnd;
    private long remaining;
    private long frameIndex;
    private boolean finished;

    private Decoder(WavFormat format, long frames) {
      this.format = format;
      this.frames = frames;
      this.length = Resampler.outputLength(frames, format.sampleRate(), Audio.SAMPLE_RATE);
      this.blockFrames = BLOCK_BYTES / format.blockAlign();
      this.bytes = new byte[blockFrames * format.blockAlign()];
      this.mono = new float[blockFrames];
      this.pending = new float[blockFrames];
      this.remaining = frames;
      this.resampler = format.sampleRate() == Audio.SAMPLE_RATE ? null
          : new Resampler(format.sampleRate(), Audio.SAMPLE_RATE, this::queue);
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public int read(float[] buffer) throws IOException, AudioFormatException {
      while (pendingStart == pendingEnd) {
        if (finished) {
          return -1;
        }
        pendingStart = 0;
        pendingEnd = 0;
        decodeBlock();
      }
      int n = Math.min(buffer.length, pendingEnd - pendingStart);
      System.arraycopy(pending, pendingStart, buffer, 0, n);
      pendingStart += n;
      return n;
    }

    private void decodeBlock() throws IOException, AudioFormatException {
      if (remaining == 0) {
        if (resampler != null) {
          resampler.finish();
        }
        finished = true;
        return;
      }
      int blockAlign = format.blockAlign();
      int now = (int) Math.min(remaining, blockFrames);
      int want = now * blockAlign;
      int got = in.readNBytes(bytes, 0, want);
      position += got;
      if (got < want) {
        throw fail("the file ends inside the data chunk (" + (frames - remaining + got / blockAlign) + " of "
            + frames + " frames are present); the file is truncated");
      }
      toMono(format, bytes, now, mono, frameIndex);
      if (resampler == null) {
        for (int i = 0; i < now; i++) {
          queue(mono[i]);
        }
      } else {
        resampler.accept(mono, now);
      }
      remaining -= now;
      frameIndex += now;
    }

    private void queue(float sample) {
      if (pendingEnd == pending.length) {
        pending = Arrays.copyOf(pending, pending.length * 2);
      }
      pending[pendingEnd++] = sample;
    }

    /** Closes the stream the header and data are read from. */
    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private void toMono(WavFormat format, byte[] b, int frames, float[] mono, long firstFrame) throws AudioFormatException {
    Encoding e = format.encoding();
    int width = e.bytes();
    int channels = format.channels();
    for (int f = 0; f < frames; f++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        int o = (f * channels + c) * width;
        double v = switch (e) {
          case PCM_U8 -> ((b[o] & 0xFF) - 128) / 128.0;
          case PCM_S16 -> (short) ((b[o] & 0xFF) | (b[o + 1] << 8)) / 32768.0;
          case PCM_S24 -> ((b[o] & 0xFF) | ((b[o + 1] & 0xFF) << 8) | (b[o + 2] << 16)) / 8388608.0;
          case PCM_S32 -> LittleEndian.s32(b, o) / 2147483648.0;
          case FLOAT32 -> Float.intBitsToFloat(LittleEndian.s32(b, o));
          case FLOAT64 -> Double.longBitsToDouble((LittleEndian.s32(b, o) & 0xFFFFFFFFL) | ((long) LittleEndian.s32(b, o + 4) << 32));
        };
        if (!Double.isFinite(v)) {
          throw fail("sample " + (firstFrame + f) + " is " + v + ", not a finite number; the file is damaged");
        }
        sum += v;
      }
      mono[f] = (float) Math.max(-1.0, Math.min(1.0, sum / channels));
    }
  }

  /** Refuses a chunk that declares more bytes than the file holds, or than any accepted file could hold. */
  private void checkFits(long chunkSize, String what) throws AudioFormatException {
    long limit = size.orElse(Wav.MAX_BYTES) - position;
    if (chunkSize > limit) {
      throw fail(what + " declares " + chunkSize + " bytes, but only " + Math.max(0, limit)
          + (size.isPresent() ? " remain in the file" : " more may follow within the 2 GiB limit")
          + "; the file is truncated or its header is wrong");
    }
  }

  private byte[] readExactly(int n, String what) throws IOException, AudioFormatException {
    checkFits(n, what);
    byte[] b = in.readNBytes(n);
    position += b.length;
    if (b.length < n) {
      throw fail("the file ends inside " + what + "; the file is truncated");
    }
    return b;
  }

  private void skipExactly(long n, String what) throws IOException, AudioFormatException {
    try {
      in.skipNBytes(n);
      position += n;
    } catch (EOFException e) {
      throw fail("the file ends inside " + what + "; the file is truncated", e);
    }
  }

  private void skipPadding(long chunkSize) throws IOException, AudioFormatException {
    if ((chunkSize & 1) != 0) {
      skipExactly(1, "a chunk's padding byte");
    }
  }

  private AudioFormatException fail(String problem) {
    return new AudioFormatException(name + ": " + problem);
  }

  private AudioFormatException fail(String problem, Throwable cause) {
    AudioFormatException e = fail(problem);
    e.initCause(cause);
    return e;
  }

  static String describeBytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  static String describeDuration(long seconds) {
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    if (h == 0) {
      return m + " min";
    }
    return m == 0 ? h + " h" : h + " h " + m + " min";
  }

  private static String ascii(byte[] b, int offset, int length) {
    return new String(b, offset, length, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String id) {
    return id.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? id : "?";
  }
}
