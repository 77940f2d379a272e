package soko.runtime.audio;

/**
 * What a WAV file's fmt chunk says, once checked: the sample encoding, 1 or 2 channels, a rate
 * within the supported range, and a frame size consistent with the rest.
 */
record WavFormat(Encoding encoding, int channels, int sampleRate) {
  WavFormat {
    if (channels < 1 || channels > 2) {
      throw new IllegalArgumentException("channels " + channels);
    }
    if (sampleRate < Wav.MIN_SAMPLE_RATE || sampleRate > Wav.MAX_SAMPLE_RATE) {
      throw new IllegalArgumentException("sampleRate " + sampleRate);
    }
  }

  /** Bytes per frame: one sample for each channel. */
  int blockAlign() {
    return channels * encoding.bytes();
  }

  @Override
  public String toString() {
    return encoding + ", " + (channels == 1 ? "mono" : "stereo") + ", " + sampleRate + " Hz";
  }
}
