package soko.runtime;

import java.nio.FloatBuffer;
import java.time.Duration;

/**
 * Audio as engines take it: 16 kHz, mono, 32-bit float samples in [-1, 1].
 * {@code soko.runtime.audio.Wav} converts WAV files into it. Immutable and thread-safe.
 */
public final class Audio {
  /** Samples per second: 16 000. */
  public static final int SAMPLE_RATE = 16_000;
  private final float[] samples;

  private Audio(float[] samples) {
    this.samples = samples;
  }

  /**
   * Makes audio from samples; copies them.
   *
   * @param samples16kMono samples at {@link #SAMPLE_RATE}, mono, in [-1, 1] (not checked)
   * @return the audio
   */
  public static Audio of(float[] samples16kMono) {
    return new Audio(samples16kMono.clone());
  }

  /**
   * The samples, without a copy.
   *
   * @return a new read-only buffer over the samples, positioned at 0; confine it to one thread
   */
  public FloatBuffer samples() {
    return FloatBuffer.wrap(samples).asReadOnlyBuffer();
  }

  /**
   * The samples, copied.
   *
   * @return a new array of the samples
   */
  public float[] toArray() {
    return samples.clone();
  }

  /**
   * How many samples there are.
   *
   * @return the number of samples, {@code >= 0}
   */
  public int length() {
    return samples.length;
  }

  /**
   * How long the audio lasts.
   *
   * @return {@link #length()} ÷ {@link #SAMPLE_RATE}, rounded down to the nanosecond
   */
  public Duration duration() {
    return Duration.ofNanos(samples.length * 1_000_000_000L / SAMPLE_RATE);
  }

  /**
   * Part of the audio.
   *
   * @param from the first sample index, inclusive
   * @param to the last sample index, exclusive, {@code from <= to <= length()}
   * @return samples [from, to) as new audio
   * @throws ArrayIndexOutOfBoundsException if {@code from} is outside the audio
   * @throws IllegalArgumentException if {@code from > to}
   */
  public Audio slice(int from, int to) {
    return new Audio(java.util.Arrays.copyOfRange(samples, from, to));
  }

  /**
   * The sample index at a time offset.
   *
   * @param t the offset from the start
   * @return the index of the sample at {@code t}, clamped to {@code 0..length()}
   */
  public int indexAt(Duration t) {
    long i = t.toNanos() * SAMPLE_RATE / 1_000_000_000L;
    return (int) Math.max(0, Math.min(samples.length, i));
  }
}
