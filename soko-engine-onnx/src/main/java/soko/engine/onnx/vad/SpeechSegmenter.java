package soko.engine.onnx.vad;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import soko.runtime.Audio;
import soko.runtime.Segment;

/**
 * Turns per-window speech probabilities into speech segments, window by window, with the same
 * result as Silero's {@code get_speech_timestamps} over the whole audio (without its maximum
 * speech length, which is unlimited by default there too).
 *
 * <p>A segment's padded end depends on the next kept segment, so a segment is reported once it is
 * final: when the next kept segment closes, when no later speech could start within twice the pad,
 * or at {@link #finish}. Positions are in samples at 16 kHz. Not thread-safe.
 */
final class SpeechSegmenter {
  private final int window;
  private final double threshold;
  private final double negativeThreshold;
  private final long minSpeech;
  private final long minSilence;
  private final long pad;

  private long windows;
  private boolean triggered;
  private long start;
  private boolean hasTempEnd;
  private long tempEnd;
  /** The last kept segment, closed but not yet reported: [pendingStart, pendingEnd), start already padded. */
  private boolean hasPending;
  private long pendingStart;
  private long pendingEnd;
  /** The unpadded end of the last kept segment, if any. */
  private Optional<Long> previousEnd = Optional.empty();
  private boolean finished;

  SpeechSegmenter(VadOptions options, int windowSamples) {
    this.window = windowSamples;
    this.threshold = options.threshold();
    this.negativeThreshold = options.negativeThreshold();
    this.minSpeech = samples(options.minSpeech());
    this.minSilence = samples(options.minSilence());
    this.pad = samples(options.speechPad());
  }

  /** Takes the next full window's probability; returns segments that became final. */
  List<Segment> accept(double probability) {
    if (finished) {
      throw new IllegalStateException("finished");
    }
    List<Segment> out = new ArrayList<>(1);
    long position = windows * window;
    windows++;
    step(probability, position, out);
    long earliestNextStart = triggered ? start : windows * window;
    if (hasPending && earliestNextStart >= pendingEnd + 2 * pad) {
      out.add(segment(pendingStart, pendingEnd + pad));
      hasPending = false;
    }
    return out;
  }

  private void step(double p, long position, List<Segment> out) {
    if (p >= threshold && hasTempEnd) {
      hasTempEnd = false;
    }
    if (p >= threshold && !triggered) {
      triggered = true;
      start = position;
      return;
    }
    if (p < negativeThreshold && triggered) {
      if (!hasTempEnd) {
        hasTempEnd = true;
        tempEnd = position;
      }
      if (position - tempEnd >= minSilence) {
        if (tempEnd - start > minSpeech) {
          close(start, tempEnd, out);
        }
        triggered = false;
        hasTempEnd = false;
      }
    }
  }

  /** A kept segment [s, e) closed: finalise the pending one against it, and make it pending. */
  private void close(long s, long e, List<Segment> out) {
    long paddedStart;
    if (previousEnd.isEmpty()) {
      paddedStart = Math.max(0, s - pad);
    } else {
      long silence = s - previousEnd.get();
      paddedStart = Math.max(0, silence < 2 * pad ? s - silence / 2 : s - pad);
      if (hasPending) {
        out.add(segment(pendingStart, silence < 2 * pad ? pendingEnd + silence / 2 : pendingEnd + pad));
      }
    }
    hasPending = true;
    pendingStart = paddedStart;
    pendingEnd = e;
    previousEnd = Optional.of(e);
  }

  /**
   * Ends the audio after {@code totalSamples} samples; returns the segments still open.
   *
   * @param partialWindow the probability of the last window when it was shorter than a full one
   *     (and scored padded with silence); such a window must not go through {@link #accept}, whose
   *     early reporting assumes every window it sees is complete
   */
  List<Segment> finish(OptionalDouble partialWindow, long totalSamples) {
    if (finished) {
      return List.of();
    }
    List<Segment> out = new ArrayList<>(2);
    if (partialWindow.isPresent()) {
      step(partialWindow.getAsDouble(), windows * window, out);
      windows++;
    }
    finished = true;
    if (triggered && totalSamples - start > minSpeech) {
      close(start, totalSamples, out);
    }
    triggered = false;
    if (hasPending) {
      out.add(segment(pendingStart, Math.min(totalSamples, pendingEnd + pad)));
      hasPending = false;
    }
    return out;
  }

  private static Segment segment(long from, long to) {
    return Segment.speech(time(from), time(Math.max(from, to)));
  }

  private static Duration time(long samples) {
    return Duration.ofNanos(samples * 1_000_000_000L / Audio.SAMPLE_RATE);
  }

  private static long samples(Duration d) {
    return d.toNanos() * Audio.SAMPLE_RATE / 1_000_000_000L;
  }
}
