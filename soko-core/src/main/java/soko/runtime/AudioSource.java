package soko.runtime;

import java.io.IOException;

/**
 * Audio that can be read more than once, each time from its start: a WAV file ({@code
 * soko.runtime.audio.Wav#source}) or audio in memory ({@link #of}). Transcription reads it twice,
 * once to find speech and once to recognise it, so that neither pass holds it whole.
 */
@FunctionalInterface
public interface AudioSource {
  /** A new stream from the start of the audio; the caller closes it. */
  AudioStream open() throws IOException, AudioFormatException;

  /** Audio already in memory. */
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
