package soko.engine.onnx.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import soko.runtime.Segment;

class SpeechSegmenterTest {
  private static final int WINDOW = 512;

  @Test
  void padsASingleSegmentOnBothSides() {
    double[] p = new double[40];
    java.util.Arrays.fill(p, 5, 25, 0.9);

    List<Segment> segments = stream(p, VadOptions.DEFAULTS, p.length * WINDOW);

    // Speech from window 5 to window 25, widened by 30 ms (480 samples) each side.
    assertThat(segments).containsExactly(segment(5 * WINDOW - 480, 25 * WINDOW + 480));
  }

  @Test
  void dropsSpeechNoLongerThanTheMinimum() {
    double[] p = new double[40];
    java.util.Arrays.fill(p, 5, 12, 0.9); // 7 windows = 224 ms < 250 ms

    assertThat(stream(p, VadOptions.DEFAULTS, p.length * WINDOW)).isEmpty();
  }

  @Test
  void bridgesDipsShorterThanTheMinimumSilence() {
    double[] p = new double[60];
    java.util.Arrays.fill(p, 5, 20, 0.9);
    java.util.Arrays.fill(p, 23, 40, 0.9); // a 3-window (96 ms) dip

    assertThat(stream(p, VadOptions.DEFAULTS, p.length * WINDOW)).containsExactly(segment(5 * WINDOW - 480, 40 * WINDOW + 480));
  }

  @Test
  void keepsSpeechBetweenTheTwoThresholds() {
    double[] p = new double[60];
    java.util.Arrays.fill(p, 5, 40, 0.4); // below 0.5 but above 0.35: no start, no end
    java.util.Arrays.fill(p, 5, 10, 0.9);

    assertThat(stream(p, VadOptions.DEFAULTS, p.length * WINDOW)).containsExactly(segment(5 * WINDOW - 480, 40 * WINDOW + 480));
  }

  @Test
  void endsOpenSpeechAtTheEndOfTheAudio() {
    double[] p = new double[30];
    java.util.Arrays.fill(p, 10, 30, 0.9);
    long total = 30 * WINDOW - 100;

    assertThat(stream(p, VadOptions.DEFAULTS, total)).containsExactly(segment(10 * WINDOW - 480, total));
  }

  @Test
  void matchesABatchReferenceOnRandomProbabilitiesAndOptions() {
    Random random = new Random(42);
    for (int run = 0; run < 1_000; run++) {
      double threshold = 0.2 + 0.6 * random.nextDouble();
      VadOptions options = new VadOptions(threshold, threshold * random.nextDouble(),
          Duration.ofMillis(random.nextInt(400)), Duration.ofMillis(random.nextInt(300)),
          Duration.ofMillis(random.nextInt(400)));
      double[] p = new double[1 + random.nextInt(400)];
      boolean speaking = false;
      for (int i = 0; i < p.length; i++) {
        if (random.nextDouble() < 0.08) {
          speaking = !speaking;
        }
        p[i] = speaking ? 0.3 + 0.7 * random.nextDouble() : 0.6 * random.nextDouble();
      }
      long total = (long) p.length * WINDOW - random.nextInt(WINDOW);

      assertThat(stream(p, options, total)).as("run %d with %s", run, options).isEqualTo(reference(p, options, total));
    }
  }

  @Test
  void reportsEverySegmentOnlyOnceItIsFinal() {
    Random random = new Random(7);
    for (int run = 0; run < 200; run++) {
      VadOptions options = new VadOptions(0.5, 0.35, Duration.ofMillis(random.nextInt(300)),
          Duration.ofMillis(random.nextInt(300)), Duration.ofMillis(random.nextInt(300)));
      double[] p = new double[1 + random.nextInt(300)];
      for (int i = 0; i < p.length; i++) {
        p[i] = (i / 10) % 2 == 0 ? random.nextDouble() * 0.3 : 0.7 + random.nextDouble() * 0.3;
      }
      long total = (long) p.length * WINDOW;
      SpeechSegmenter s = new SpeechSegmenter(options, WINDOW);
      List<Segment> early = new ArrayList<>();
      for (double x : p) {
        early.addAll(s.accept(x));
      }
      List<Segment> all = new ArrayList<>(early);
      all.addAll(s.finish(OptionalDouble.empty(), total));

      assertThat(all.subList(0, early.size())).isEqualTo(early);
      assertThat(all).isEqualTo(reference(p, options, total));
    }
  }

  /** Feeds full windows to accept and a last, partial one (when total says so) to finish. */
  private static List<Segment> stream(double[] p, VadOptions options, long total) {
    SpeechSegmenter s = new SpeechSegmenter(options, WINDOW);
    List<Segment> out = new ArrayList<>();
    boolean partial = total < (long) p.length * WINDOW;
    int full = partial ? p.length - 1 : p.length;
    for (int i = 0; i < full; i++) {
      out.addAll(s.accept(p[i]));
    }
    out.addAll(s.finish(partial ? OptionalDouble.of(p[p.length - 1]) : OptionalDouble.empty(), total));
    return out;
  }

  /** Silero's get_speech_timestamps, written as a batch pass over all probabilities. */
  private static List<Segment> reference(double[] p, VadOptions o, long total) {
    long minSpeech = samples(o.minSpeech());
    long minSilence = samples(o.minSilence());
    long pad = samples(o.speechPad());
    List<long[]> speeches = new ArrayList<>();
    boolean triggered = false;
    long start = 0;
    long tempEnd = -1;
    for (int i = 0; i < p.length; i++) {
      long pos = (long) i * WINDOW;
      if (p[i] >= o.threshold() && tempEnd >= 0) {
        tempEnd = -1;
      }
      if (p[i] >= o.threshold() && !triggered) {
        triggered = true;
        start = pos;
        continue;
      }
      if (p[i] < o.negativeThreshold() && triggered) {
        if (tempEnd < 0) {
          tempEnd = pos;
        }
        if (pos - tempEnd < minSilence) {
          continue;
        }
        if (tempEnd - start > minSpeech) {
          speeches.add(new long[] {start, tempEnd});
        }
        triggered = false;
        tempEnd = -1;
      }
    }
    if (triggered && total - start > minSpeech) {
      speeches.add(new long[] {start, total});
    }
    for (int i = 0; i < speeches.size(); i++) {
      long[] s = speeches.get(i);
      if (i == 0) {
        s[0] = Math.max(0, s[0] - pad);
      }
      if (i != speeches.size() - 1) {
        long[] next = speeches.get(i + 1);
        long silence = next[0] - s[1];
        if (silence < 2 * pad) {
          s[1] += silence / 2;
          next[0] = Math.max(0, next[0] - silence / 2);
        } else {
          s[1] = Math.min(total, s[1] + pad);
          next[0] = Math.max(0, next[0] - pad);
        }
      } else {
        s[1] = Math.min(total, s[1] + pad);
      }
    }
    return speeches.stream().map(s -> segment(s[0], s[1])).toList();
  }

  private static Segment segment(long from, long to) {
    return Segment.speech(Duration.ofNanos(from * 62_500L), Duration.ofNanos(to * 62_500L));
  }

  private static long samples(Duration d) {
    return d.toNanos() / 62_500L;
  }
}
