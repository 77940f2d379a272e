package soko.runtime;

import java.nio.FloatBuffer;
import java.time.Duration;

/**
 * Audio as engines take it: 16 kHz, mono, 32-bit float samples in [-1, 1].
 * {@code soko.runtime.audio.Wav} converts WAV files into it. Immutable.
 */
public final class Audio {
  public static final int SAMPLE_RATE = 16_000;
  private final float[] samples;

  private Audio(float[] samples) {
    this.samples = samples;
  }

  /** Copies the samples. */
  public static Audio of(float[] samples16kMono) {
    return new Audio(samples16kMono.clone());
  }

  /** A read-only view of the samples. */
  public FloatBuffer samples() {
    return FloatBuffer.wrap(samples).asReadOnlyBuffer();
  }

  /** A copy of the samples. */
  public float[] toArray() {
    return samples.clone();
  }

  public int length() {
    return samples.length;
  }

  public Duration duration() {
    return Duration.ofNanos(samples.length * 1_000_000_000L / SAMPLE_RATE);
  }

  /** Samples [from, to) as new audio. */
  public Audio slice(int from, int to) {
    return new Audio(java.util.Arrays.copyOfRange(samples, from, to));
  }

  /** The sample index at a time offset, clamped to the audio. */
  public int indexAt(Duration t) {
    long i = t.toNanos() * SAMPLE_RATE / 1_000_000_000L;
    return (int) Math.max(0, Math.min(samples.length, i));
  }
}
