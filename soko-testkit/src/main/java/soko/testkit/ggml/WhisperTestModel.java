package soko.testkit.ggml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A whisper.cpp model file in ggml format with hyper-parameters, mel filters and a vocabulary but
 * no tensors. whisper.cpp logs "assuming empty model for testing" for such a file and runs its
 * whole pipeline with zeroed weights, returning no segments. It is the self-contained counterpart
 * of whisper.cpp's {@code models/for-tests-ggml-tiny.bin}, written from scratch.
 *
 * <p>Layout, all integers little-endian 32-bit:
 *
 * <pre>
 *   magic       0x67676d6c ("lmgg" on disk)
 *   hparams     n_vocab n_audio_ctx n_audio_state n_audio_head n_audio_layer
 *               n_text_ctx n_text_state n_text_head n_text_layer n_mels ftype
 *   mel filters n_mel n_fft, then n_mel * n_fft float32 (row per mel band)
 *   vocabulary  count, then count * (uint32 length, that many UTF-8 bytes)
 *   tensors     none: the file ends here
 * </pre>
 *
 * <p>whisper.cpp adds the special tokens itself (end of text, start of transcript, languages,
 * timestamps) when the stored vocabulary is shorter than {@code n_vocab}.
 *
 * @param hparams the hyper-parameters written into the header
 * @param storedTokens how many vocabulary entries the file stores; at most {@code hparams.nVocab()}
 */
public record WhisperTestModel(HyperParameters hparams, int storedTokens) {
  /** The file's first four bytes read as a little-endian integer. */
  public static final int MAGIC = 0x67676d6c;
  /** Sample rate the mel filters are computed for. */
  public static final int SAMPLE_RATE = 16_000;
  /** FFT size of whisper's short-time Fourier transform; the filters cover {@code N_FFT / 2 + 1} bins. */
  public static final int N_FFT = 400;
  /** Number of byte-pair tokens before the special tokens in a multilingual whisper vocabulary. */
  public static final int TEXT_TOKENS = 50_257;

  public WhisperTestModel {
    if (storedTokens < 0 || storedTokens > hparams.nVocab()) {
      throw new IllegalArgumentException("storedTokens " + storedTokens + " is out of range 0.." + hparams.nVocab());
    }
  }

  /** A multilingual (ja, ko, ...) model with whisper tiny's shape, like whisper.cpp's test model. */
  public static WhisperTestModel tinyMultilingual() {
    return new WhisperTestModel(HyperParameters.TINY_MULTILINGUAL, TEXT_TOKENS);
  }

  /**
   * Whisper's hyper-parameters as stored in the header.
   *
   * @param ftype weight type: 0 for float32, 1 for float16 (quantised types add 1000 times the quantisation version)
   */
  public record HyperParameters(
      int nVocab, int nAudioCtx, int nAudioState, int nAudioHead, int nAudioLayer,
      int nTextCtx, int nTextState, int nTextHead, int nTextLayer, int nMels, int ftype) {
    /** Whisper tiny, multilingual: 51865 tokens (99 languages), 4 layers of width 384, 80 mel bands, float16. */
    public static final HyperParameters TINY_MULTILINGUAL =
        new HyperParameters(51_865, 1_500, 384, 6, 4, 448, 384, 6, 4, 80, 1);

    public HyperParameters {
      int[] all = {nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState, nTextHead, nTextLayer, nMels};
      if (Arrays.stream(all).anyMatch(v -> v <= 0)) {
        throw new IllegalArgumentException("hyper-parameters must be positive: " + Arrays.toString(all));
      }
      if (ftype < 0) {
        throw new IllegalArgumentException("ftype < 0");
      }
    }

    int[] inFileOrder() {
      return new int[] {nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState, nTextHead, nTextLayer, nMels, ftype};
    }
  }

  /** The whole file. */
  public byte[] toBytes() {
    float[][] filters = melFilters(hparams.nMels());
    byte[][] tokens = new byte[storedTokens][];
    long size = 4 + 4L * 11 + 8 + 4L * filters.length * filters[0].length + 4;
    for (int i = 0; i < storedTokens; i++) {
      tokens[i] = token(i).getBytes(StandardCharsets.UTF_8);
      size += 4 + tokens[i].length;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalStateException("a test model of " + size + " bytes is too large");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC);
    for (int v : hparams.inFileOrder()) {
      out.putInt(v);
    }
    out.putInt(filters.length).putInt(filters[0].length);
    for (float[] row : filters) {
      for (float w : row) {
        out.putFloat(w);
      }
    }
    out.putInt(storedTokens);
    for (byte[] t : tokens) {
      out.putInt(t.length).put(t);
    }
    return out.array();
  }

  /** Writes the file (replacing any file there) and returns {@code file}. */
  public Path writeTo(Path file) throws IOException {
    return Files.write(file, toBytes());
  }

  /**
   * Writes only the first {@code length} bytes of the file: a damaged download. Such a file aborts
   * a process that hands it to whisper.cpp, so only give it to code that must refuse it.
   */
  public Path writeTruncatedTo(Path file, int length) throws IOException {
    byte[] all = toBytes();
    if (length < 0 || length >= all.length) {
      throw new IllegalArgumentException("length " + length + " is out of range 0.." + (all.length - 1));
    }
    return Files.write(file, Arrays.copyOf(all, length));
  }

  /**
   * Token {@code id}'s text: the 94 printable ASCII characters, then a single space, then a marker
   * that names the id, so decoded text from such a model is recognisable. The vocabulary is made
   * up; whisper.cpp needs only its size and the single-space token, which it looks up to suppress
   * blank output (without it, whisper.cpp aborts while transcribing).
   */
  static String token(int id) {
    int printable = '~' - '!' + 1;
    if (id < printable) {
      return String.valueOf((char) ('!' + id));
    }
    return id == printable ? " " : "<" + id + ">";
  }

  /**
   * Mel filter bank: {@code nMels} triangular filters over the {@code N_FFT / 2 + 1} FFT bins from 0
   * to 8 kHz, on the Slaney mel scale (linear below 1 kHz, logarithmic above) and area-normalised,
   * which is what whisper's own filters are.
   */
  static float[][] melFilters(int nMels) {
    int bins = N_FFT / 2 + 1;
    double maxMel = hzToMel(SAMPLE_RATE / 2.0);
    double[] edges = new double[nMels + 2];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = melToHz(maxMel * i / (nMels + 1));
    }
    float[][] filters = new float[nMels][bins];
    for (int m = 0; m < nMels; m++) {
      double lower = edges[m];
      double centre = edges[m + 1];
      double upper = edges[m + 2];
      double norm = 2.0 / (upper - lower);
      for (int b = 0; b < bins; b++) {
        double hz = (double) b * SAMPLE_RATE / N_FFT;
        double rising = (hz - lower) / (centre - lower);
        double falling = (upper - hz) / (upper - centre);
        filters[m][b] = (float) (Math.max(0, Math.min(rising, falling)) * norm);
      }
    }
    return filters;
  }

  private static final double LINEAR_HZ_PER_MEL = 200.0 / 3;
  private static final double LOG_START_HZ = 1_000;
  private static final double LOG_START_MEL = LOG_START_HZ / LINEAR_HZ_PER_MEL;
  private static final double LOG_STEP = Math.log(6.4) / 27;

  private static double hzToMel(double hz) {
    return hz < LOG_START_HZ ? hz / LINEAR_HZ_PER_MEL : LOG_START_MEL + Math.log(hz / LOG_START_HZ) / LOG_STEP;
  }

  private static double melToHz(double mel) {
    return mel < LOG_START_MEL ? mel * LINEAR_HZ_PER_MEL : LOG_START_HZ * Math.exp(LOG_STEP * (mel - LOG_START_MEL));
  }
}
