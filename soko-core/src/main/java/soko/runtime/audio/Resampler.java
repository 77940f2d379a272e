package soko.runtime.audio;

/**
 * A streaming band-limited resampler: windowed-sinc interpolation (Kaiser window) at exact
 * rational positions, with the cut-off below the lower of the two Nyquist frequencies so that
 * downsampling does not alias and upsampling does not image.
 *
 * <p>Feed input with {@link #accept}, then call {@link #finish} once; output goes to the
 * {@link FloatSink}. Samples before the start and after the end count as silence. Not
 * thread-safe.
 */
final class Resampler {
  /** Zero crossings of the sinc on each side of the centre, in units of the cut-off. */
  static final int ZERO_CROSSINGS = 24;
  /** Kaiser window shape: about 70 dB of stop-band attenuation with {@link #ZERO_CROSSINGS}. */
  static final double KAISER_BETA = 7.0;
  /** Cut-off as a fraction of the lower Nyquist frequency, leaving room for the transition band. */
  static final double CUTOFF = 0.91;
  /** Kernel table points per zero crossing; values between points are interpolated linearly. */
  private static final int TABLE_RESOLUTION = 512;
  private static final float[] KERNEL = kernel();

  private final long up;
  private final long down;
  private final double scale;
  private final int halfTaps;
  private final FloatSink out;

  /** Input samples with absolute indices [bufferStart, bufferStart + bufferLength). */
  private float[] buffer = new float[4096];
  private long bufferStart;
  private int bufferLength;
  /** The next output sample to produce. */
  private long next;
  private boolean finished;

  /** Resamples from {@code inRate} to {@code outRate} Hz, both positive. */
  Resampler(int inRate, int outRate, FloatSink out) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive");
    }
    long g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    this.scale = Math.min(1.0, (double) outRate / inRate) * CUTOFF;
    this.halfTaps = (int) Math.ceil(ZERO_CROSSINGS / scale) + 1;
    this.out = out;
  }

  /** How many output samples {@code inputLength} input samples give. */
  static long outputLength(long inputLength, int inRate, int outRate) {
    long g = gcd(inRate, outRate);
    long up = outRate / g;
    long down = inRate / g;
    return Math.ceilDiv(Math.multiplyExact(inputLength, up), down);
  }

  void accept(float[] samples, int length) {
    if (finished) {
      throw new IllegalStateException("finished");
    }
    append(samples, length);
    long available = bufferStart + bufferLength;
    // Output n is complete once every tap to the right of its centre is in the buffer.
    while (true) {
      long centre = Math.floorDiv(next * down, up);
      if (centre + halfTaps >= available) {
        break;
      }
      out.accept(sample(next));
      next++;
    }
    discardBefore(Math.floorDiv(next * down, up) - halfTaps);
  }

  /** Ends the input and emits the remaining output. */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    long total = bufferStart + bufferLength;
    long end = Math.ceilDiv(total * up, down);
    while (next < end) {
      out.accept(sample(next));
      next++;
    }
  }

  private float sample(long n) {
    long num = n * down;
    long centre = Math.floorDiv(num, up);
    double frac = (double) (num - centre * up) / up;
    double sum = 0;
    double weights = 0;
    for (long j = centre - halfTaps + 1; j <= centre + halfTaps; j++) {
      double distance = Math.abs((j - centre) - frac) * scale;
      if (distance >= ZERO_CROSSINGS) {
        continue;
      }
      double w = kernelAt(distance);
      weights += w;
      long k = j - bufferStart;
      if (k >= 0 && k < bufferLength) {
        sum += w * buffer[(int) k];
      }
    }
    // Normalising by the weights gives exactly unit gain at DC for every phase.
    double y = weights == 0 ? 0 : sum / weights;
    return (float) Math.max(-1.0, Math.min(1.0, y));
  }

  private static double kernelAt(double distance) {
    double pos = distance * TABLE_RESOLUTION;
    int i = (int) pos;
    double f = pos - i;
    return KERNEL[i] + f * (KERNEL[i + 1] - KERNEL[i]);
  }

  private void append(float[] samples, int length) {
    if (bufferLength + length > buffer.length) {
      float[] bigger = new float[Math.max(buffer.length * 2, bufferLength + length)];
      System.arraycopy(buffer, 0, bigger, 0, bufferLength);
      buffer = bigger;
    }
    System.arraycopy(samples, 0, buffer, bufferLength, length);
    bufferLength += length;
  }

  private void discardBefore(long absolute) {
    long drop = Math.min(absolute - bufferStart, bufferLength);
    if (drop > 0) {
      int d = (int) drop;
      System.arraycopy(buffer, d, buffer, 0, bufferLength - d);
      bufferLength -= d;
      bufferStart += d;
    }
  }

  private static float[] kernel() {
    int size = ZERO_CROSSINGS * TABLE_RESOLUTION + 2;
    float[] k = new float[size];
    double i0Beta = besselI0(KAISER_BETA);
    for (int i = 0; i < size; i++) {
      double x = (double) i / TABLE_RESOLUTION;
      double r = x / ZERO_CROSSINGS;
      if (r >= 1) {
        k[i] = 0;
        continue;
      }
      double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      double window = besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
      k[i] = (float) (sinc * window);
    }
    return k;
  }

  /** The modified Bessel function of the first kind, order 0, by its power series. */
  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 50; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-12) {
        break;
      }
    }
    return sum;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Receives output samples in order. */
  interface FloatSink {
    void accept(float sample);
  }
}
