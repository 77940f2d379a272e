package soko.runtime;

import java.io.IOException;

/**
 * Audio that can be read more than once, each time from its start: a WAV file ({@code
 * soko.runtime.audio.Wav#source}) or audio in memory ({@link #of}). Transcription reads it twice,
 * once to find speech and once to recognise it, so that neither pass holds it whole.
 *
 * <p>Implementations are thread-safe: each {@link #open()} gives an independent stream.
 */
@FunctionalInterface
public interface AudioSource {
  /**
   * Opens the audio again.
   *
   * @return a new stream from the start of the audio; the caller closes it
   * @throws IOException if the audio cannot be opened (such as a missing file)
   * @throws AudioFormatException if the audio is not in a format Soko reads
   */
  AudioStream open() throws IOException, AudioFormatException;

  /**
   * Audio already in memory.
   *
   * @param audio the audio
   * @return a source whose streams read {@code audio} and never throw
   */
  static AudioSource of(Audio audio) {
    return () -> new AudioStream() {
      private int position;

      @Override
      public int read(float[] buffer) {
        if (position >= audio.length()) {
          return -1;
        }
        int n = Math.min(buffer.length, audio.length() - position);
        audio.samples().position(position).get(buffer, 0, n);
        position += n;
        return n;
      }

      @Override
      public long length() {
        return audio.length();
      }

      @Override
      public void close() {}
    };
  }
}
