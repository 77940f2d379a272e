package soko.runtime.audio;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import soko.internal.io.RegularFiles;
import soko.runtime.Audio;
import soko.runtime.AudioFormatException;
import soko.runtime.AudioSource;
import soko.runtime.AudioStream;

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
  /** The lowest sample rate read, in Hz. */
  public static final int MIN_SAMPLE_RATE = 8_000;
  /** The highest sample rate read, in Hz. */
  public static final int MAX_SAMPLE_RATE = 48_000;
  /** Larger files are refused: 2 GiB. */
  public static final long MAX_BYTES = 2L << 30;
  /**
   * Longer audio is refused. A stream ({@link #open}) holds a block at a time whatever the length;
   * {@link #read} holds the whole clip as 16 kHz floats (about 460 MB for 2 h).
   */
  public static final Duration MAX_DURATION = Duration.ofHours(2);

  private Wav() {}

  /**
   * Opens a WAV file as a stream of 16 kHz mono blocks, after reading and checking its header;
   * memory stays the same whatever the file's length. The caller closes the stream.
   *
   * <p>Only a regular file is opened: a folder, a device or a FIFO (whose reading would block
   * forever) is refused before it is opened (see {@code RegularFiles}).
   *
   * @param file the WAV file
   * @return a stream of 16 kHz mono samples; the caller closes it
   * @throws java.nio.file.NoSuchFileException when there is no such file
   * @throws soko.internal.io.RegularFiles.NotRegularFileException when it is not a regular file
   * @throws AudioFormatException when the file is not a supported WAV file
   * @throws IOException when the file cannot be read
   */
  public static AudioStream open(Path file) throws IOException, AudioFormatException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    Path real = RegularFiles.check(file);
    long size = Files.size(real);
    if (size > MAX_BYTES) {
      throw new AudioFormatException(name + ": the file is " + WavReader.describeBytes(size)
          + "; WAV input is limited to 2 GiB (split it, e.g. sox in.wav out.wav trim 0 3600 : newfile : restart)");
    }
    InputStream in = new BufferedInputStream(RegularFiles.open(real), 1 << 16);
    try {
      return new WavReader(name, in, OptionalLong.of(size)).open();
    } catch (IOException | AudioFormatException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * A WAV file as a source that {@link #open}s it afresh each time it is read. Does no I/O now.
   *
   * @param file the WAV file
   * @return the source; its {@code open} throws as {@link #open} does
   */
  public static AudioSource source(Path file) {
    return () -> open(file);
  }

  /**
   * Reads a WAV file whole into memory; {@link #open} reads it block by block.
   *
   * @param file the WAV file, at most {@link #MAX_BYTES} and {@link #MAX_DURATION}
   * @return the audio, 16 kHz mono
   *
   * @throws AudioFormatException when the file is not a supported WAV file
   * @throws IOException when the file cannot be read, or is not a regular file
   */
  public static Audio read(Path file) throws IOException, AudioFormatException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    Path real = RegularFiles.check(file);
    long size = Files.size(real);
    if (size > MAX_BYTES) {
      throw new AudioFormatException(name + ": the file is " + WavReader.describeBytes(size)
          + "; WAV input is limited to 2 GiB (split it, e.g. sox in.wav out.wav trim 0 3600 : newfile : restart)");
    }
    try (InputStream in = RegularFiles.open(real)) {
      return new WavReader(name, in, OptionalLong.of(size)).read();
    }
  }

  /**
   * Reads WAV bytes, such as an upload.
   *
   * @param wav the WAV file's bytes
   * @param name names the audio in error messages, such as the uploaded file's name
   * @return the audio, 16 kHz mono
   * @throws AudioFormatException when the bytes are not a supported WAV file
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
   * @param in the stream, positioned at the RIFF header
   * @param name names the audio in error messages, such as the uploaded file's name
   * @return the audio, 16 kHz mono
   * @throws IOException when the stream fails
   * @throws AudioFormatException when the stream is not a supported WAV file
   */
  public static Audio read(InputStream in, String name) throws IOException, AudioFormatException {
    return new WavReader(name, in, OptionalLong.empty()).read();
  }
}
