package soko.runtime;

import java.time.Duration;

/**
 * A timed stretch of audio: speech found by VAD (empty text), or recognised text. Immutable and
 * thread-safe.
 *
 * @param start where it starts, from the start of the audio, {@code >= 0}
 * @param end where it ends, from the start of the audio, {@code >= start}
 * @param text the recognised (or translated) text; empty for speech found by VAD
 */
public record Segment(Duration start, Duration end, String text) {
  /**
   * Checks the times.
   *
   * @throws IllegalArgumentException if {@code start} is negative or {@code end} is before it
   */
  public Segment {
    if (start.isNegative() || end.compareTo(start) < 0) {
      throw new IllegalArgumentException("segment end " + end + " < start " + start);
    }
  }

  /**
   * Speech found by VAD.
   *
   * @param start where it starts, {@code >= 0}
   * @param end where it ends, {@code >= start}
   * @return a segment with empty text
   * @throws IllegalArgumentException if the times are out of order
   */
  public static Segment speech(Duration start, Duration end) {
    return new Segment(start, end, "");
  }

  /**
   * How long the segment lasts.
   *
   * @return {@code end - start}
   */
  public Duration length() {
    return end.minus(start);
  }
}
