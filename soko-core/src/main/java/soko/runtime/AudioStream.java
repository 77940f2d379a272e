package soko.runtime;

import java.io.IOException;

/**
 * Audio as engines take it (16 kHz, mono, float samples in [-1, 1]), read block by block so that
 * a recording of hours is never held in memory whole. {@code soko.runtime.audio.Wav#open} reads a
 * WAV file as one.
 *
 * <p>Not thread-safe. Whoever opens a stream closes it.
 */
public interface AudioStream extends AutoCloseable {
  /**
   * Reads the next samples into {@code buffer}, from its start.
   *
   * @param buffer where the samples go, from index 0
   *
   * @return how many samples were read: at least 1 while audio remains (and the buffer is not
   *     empty), or -1 at the end
   * @throws AudioFormatException when the audio turns out to be damaged, such as a file that ends
   *     before its header said it would
   * @throws IOException when reading fails
   */
  int read(float[] buffer) throws IOException, AudioFormatException;

  /**
   * How many samples the stream gives in all, known before the first is read.
   *
   * @return the total number of samples
   */
  long length();

  @Override
  void close() throws IOException;
}
