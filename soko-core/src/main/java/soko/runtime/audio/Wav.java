package soko.runtime.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import soko.runtime.Audio;
import soko.runtime.AudioFormatException;

/**
 * Reads WAV files into 16 kHz mono {@link Audio}.
 *
 * <p>Accepted: RIFF/WAVE with integer PCM of 8 (unsigned), 16, 24 or 32 bits, IEEE float of 32
 * or 64 bits, plain or as WAVE_FORMAT_EXTENSIBLE; mono or stereo (stereo is averaged to mono);
 * {@value #MIN_SAMPLE_RATE} to {@value #MAX_SAMPLE_RATE} Hz, resampled to 16 kHz with a
 * band-limited windowed-sinc filter. Everything else, including truncated files and headers that
 * disagree with themselves or with the file, is refused with an {@link AudioFormatException}
 * whose one-line message names the file, the problem and a fix.
 *
 * <p>Sizes in a header are checked against the file's real size (or, for a stream, against the
 * bytes that actually arrive) and against {@link #MAX_BYTES} and {@link #MAX_DURATION} before
 * they are used, so a hostile header cannot make the reader allocate much memory. Thread-safe
 * (stateless).
 */
public final class Wav {
  public static final int MIN_SAMPLE_RATE = 8_000;
  public static final int MAX_SAMPLE_RATE = 48_000;
  /** Larger files are refused: 2 GiB. */
  public static final long MAX_BYTES = 2L << 30;
  /** Longer audio is refused: the whole clip is held in memory as 16 kHz floats (about 460 MB for 2 h). */
  public static final Duration MAX_DURATION = Duration.ofHours(2);

  private Wav() {}

  /**
   * Reads a WAV file.
   *
   * @throws AudioFormatException when the file is not a supported WAV file
   * @throws IOException when the file cannot be read
   */
  public static Audio read(Path file) throws IOException, AudioFormatException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new AudioFormatException(name + ": the file is " + WavReader.describeBytes(size)
          + "; WAV input is limited to 2 GiB (split it, e.g. sox in.wav out.wav trim 0 3600 : newfile : restart)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new WavReader(name, in, OptionalLong.of(size)).read();
    }
  }

  /**
   * Reads WAV bytes, such as an upload.
   *
   * @param name names the audio in error messages, such as the uploaded file's name
   */
  public static Audio read(byte[] wav, String name) throws AudioFormatException {
    try {
      return new WavReader(name, new ByteArrayInputStream(wav), OptionalLong.of(wav.length)).read();
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array failed", e);
    }
  }

  /**
   * Reads a WAV stream up to the end of its data chunk; at most {@link #MAX_BYTES} are read.
   * Does not close the stream.
   *
   * @param name names the audio in error messages, such as the uploaded file's name
   * @throws IOException when the stream fails
   */
  public static Audio read(InputStream in, String name) throws IOException, AudioFormatException {
    return new WavReader(name, in, OptionalLong.empty()).read();
  }
}
