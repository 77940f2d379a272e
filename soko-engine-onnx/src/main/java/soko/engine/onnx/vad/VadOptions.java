package soko.engine.onnx.vad;

import java.time.Duration;

/**
 * How per-window speech probabilities become speech segments, as in Silero's {@code
 * get_speech_timestamps}: speech starts at a window scoring at least {@code threshold}; it ends
 * where windows fall below {@code negativeThreshold} for at least {@code minSilence}; segments not
 * longer than {@code minSpeech} are dropped; kept segments are widened by {@code speechPad} on each
 * side (by half the gap when two segments are closer than twice the pad).
 *
 * @param threshold probability at or above which a window is speech, in (0, 1)
 * @param negativeThreshold probability below which a window is silence, in [0, threshold]
 */
public record VadOptions(
    double threshold, double negativeThreshold, Duration minSpeech, Duration minSilence, Duration speechPad) {

  /** Silero's defaults: threshold 0.5, negative threshold 0.35, 250 ms speech, 100 ms silence, 30 ms pad. */
  public static final VadOptions DEFAULTS = withThreshold(0.5);

  public VadOptions {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold " + threshold + " is not in (0, 1)");
    }
    if (!(negativeThreshold >= 0 && negativeThreshold <= threshold)) {
      throw new IllegalArgumentException("negativeThreshold " + negativeThreshold + " is not in [0, threshold]");
    }
    for (Duration d : new Duration[] {minSpeech, minSilence, speechPad}) {
      if (d.isNegative() || d.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("duration " + d + " is not in [0, 1 min]");
      }
    }
  }

  /** Silero's defaults with another threshold; the negative threshold is 0.15 below it (at least 0.01). */
  public static VadOptions withThreshold(double threshold) {
    return new VadOptions(threshold, Math.min(threshold, Math.max(threshold - 0.15, 0.01)),
        Duration.ofMillis(250), Duration.ofMillis(100), Duration.ofMillis(30));
  }
}
