package soko.runtime;

import java.time.Duration;

/** A timed stretch of audio: speech found by VAD (empty text), or recognised text. */
public record Segment(Duration start, Duration end, String text) {
  public Segment {
    if (start.isNegative() || end.compareTo(start) < 0) {
      throw new IllegalArgumentException("segment end " + end + " < start " + start);
    }
  }

  public static Segment speech(Duration start, Duration end) {
    return new Segment(start, end, "");
  }

  public Duration length() {
    return end.minus(start);
  }
}
