package soko.testkit.ggml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A whisper.cpp model file in ggml format, written from scratch: hyper-parameters, mel filters, a
 * vocabulary and, optionally, every tensor whisper.cpp expects for those hyper-parameters, filled
 * with zeros. Without tensors whisper.cpp logs "assuming empty model for testing" and runs its
 * whole pipeline with zeroed weights, returning no segments: the self-contained counterpart of
 * whisper.cpp's {@code models/for-tests-ggml-tiny.bin}. With tensors the file has the exact layout
 * and size of a real model of that shape and weight type (except the made-up vocabulary), for tests
 * of code that reads or checks the tensor records.
 *
 * <p>Layout, all integers little-endian 32-bit:
 *
 * <pre>
 *   magic       0x67676d6c ("lmgg" on disk)
 *   hparams     n_vocab n_audio_ctx n_audio_state n_audio_head n_audio_layer
 *               n_text_ctx n_text_state n_text_head n_text_layer n_mels ftype
 *   mel filters n_mel n_fft, then n_mel * n_fft float32 (row per mel band)
 *   vocabulary  count, then count * (uint32 length, that many UTF-8 bytes)
 *   tensors     until the end of the file, each: n_dims, name length, type, n_dims * ne[i]
 *               (ne[0] varies fastest), the name, then the data (see {@link GgmlType})
 * </pre>
 *
 * <p>whisper.cpp adds the special tokens itself (end of text, start of transcript, languages,
 * timestamps) when the stored vocabulary is shorter than {@code n_vocab}.
 *
 * @param hparams the hyper-parameters written into the header
 * @param storedTokens how many vocabulary entries the file stores; at most {@code hparams.nVocab()}
 * @param tensors the tensor records after the vocabulary, in file order; empty for a test model
 */
public record WhisperTestModel(HyperParameters hparams, int storedTokens, List<Tensor> tensors) {
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
    tensors = List.copyOf(tensors);
  }

  /** A model without tensors. */
  public WhisperTestModel(HyperParameters hparams, int storedTokens) {
    this(hparams, storedTokens, List.of());
  }

  /** A multilingual (ja, ko, ...) model with whisper tiny's shape, like whisper.cpp's test model. */
  public static WhisperTestModel tinyMultilingual() {
    return of(HyperParameters.TINY_MULTILINGUAL);
  }

  /** A model of this shape with the multilingual text vocabulary and no tensors. */
  public static WhisperTestModel of(HyperParameters hparams) {
    return new WhisperTestModel(hparams, Math.min(TEXT_TOKENS, hparams.nVocab()));
  }

  /** This model with every tensor whisper.cpp expects for its hyper-parameters and weight type. */
  public WhisperTestModel withTensors() {
    return withTensors(layout(hparams));
  }

  /** This model with these tensor records instead, for files that are wrong on purpose. */
  public WhisperTestModel withTensors(List<Tensor> records) {
    return new WhisperTestModel(hparams, storedTokens, records);
  }

  /**
   * One tensor record.
   *
   * @param dims the sizes, {@code ne[0]} (the fastest varying) first; 1 to 4 of them
   */
  public record Tensor(String name, List<Integer> dims, GgmlType type) {
    public Tensor {
      dims = List.copyOf(dims);
      if (dims.isEmpty() || dims.size() > 4 || dims.stream().anyMatch(d -> d <= 0)) {
        throw new IllegalArgumentException("a tensor has 1 to 4 positive dimensions: " + dims);
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a tensor has a name");
      }
    }

    public long elements() {
      long n = 1;
      for (int d : dims) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    public long dataBytes() {
      return type.bytes(elements());
    }

    /** The whole record: 12 bytes, the dimensions, the name and the data. */
    public long recordBytes() {
      return 12L + 4L * dims.size() + name.getBytes(StandardCharsets.UTF_8).length + dataBytes();
    }

    /** This record with another type (and the data size that type needs). */
    public Tensor withType(GgmlType other) {
      return new Tensor(name, dims, other);
    }
  }

  /**
   * Every tensor whisper.cpp creates for these hyper-parameters, with the types its converter and
   * quantiser write: the large matrices in the file's weight type, the two convolution kernels in
   * float16 (float32 in a float32 file), and biases, norms and positional embeddings in float32.
   * A model has {@code 11 + 15 * n_audio_layer + 24 * n_text_layer} tensors.
   */
  public static List<Tensor> layout(HyperParameters h) {
    FileType f = h.fileType();
    GgmlType w = f.weights();
    GgmlType conv = f.convolutions();
    GgmlType f32 = GgmlType.F32;
    int a = h.nAudioState();
    int t = h.nTextState();
    List<Tensor> out = new ArrayList<>();
    out.add(tensor("encoder.positional_embedding", f32, a, h.nAudioCtx()));
    out.add(tensor("encoder.conv1.weight", conv, 3, h.nMels(), a));
    out.add(tensor("encoder.conv1.bias", f32, 1, a));
    out.add(tensor("encoder.conv2.weight", conv, 3, a, a));
    out.add(tensor("encoder.conv2.bias", f32, 1, a));
    for (int i = 0; i < h.nAudioLayer(); i++) {
      block(out, "encoder.blocks." + i + ".", "attn", a, w);
      mlp(out, "encoder.blocks." + i + ".", a, w);
    }
    out.add(tensor("encoder.ln_post.weight", f32, a));
    out.add(tensor("encoder.ln_post.bias", f32, a));
    out.add(tensor("decoder.positional_embedding", f32, t, h.nTextCtx()));
    out.add(tensor("decoder.token_embedding.weight", w, t, h.nVocab()));
    for (int i = 0; i < h.nTextLayer(); i++) {
      block(out, "decoder.blocks." + i + ".", "attn", t, w);
      block(out, "decoder.blocks." + i + ".", "cross_attn", t, w);
      mlp(out, "decoder.blocks." + i + ".", t, w);
    }
    out.add(tensor("decoder.ln.weight", f32, t));
    out.add(tensor("decoder.ln.bias", f32, t));
    return out;
  }

  private static void block(List<Tensor> out, String prefix, String attn, int n, GgmlType w) {
    GgmlType f32 = GgmlType.F32;
    out.add(tensor(prefix + attn + "_ln.weight", f32, n));
    out.add(tensor(prefix + attn + "_ln.bias", f32, n));
    out.add(tensor(prefix + attn + ".query.weight", w, n, n));
    out.add(tensor(prefix + attn + ".query.bias", f32, n));
    out.add(tensor(prefix + attn + ".key.weight", w, n, n));
    out.add(tensor(prefix + attn + ".value.weight", w, n, n));
    out.add(tensor(prefix + attn + ".value.bias", f32, n));
    out.add(tensor(prefix + attn + ".out.weight", w, n, n));
    out.add(tensor(prefix + attn + ".out.bias", f32, n));
  }

  private static void mlp(List<Tensor> out, String prefix, int n, GgmlType w) {
    GgmlType f32 = GgmlType.F32;
    out.add(tensor(prefix + "mlp_ln.weight", f32, n));
    out.add(tensor(prefix + "mlp_ln.bias", f32, n));
    out.add(tensor(prefix + "mlp.0.weight", w, n, 4 * n));
    out.add(tensor(prefix + "mlp.0.bias", f32, 4 * n));
    out.add(tensor(prefix + "mlp.2.weight", w, 4 * n, n));
    out.add(tensor(prefix + "mlp.2.bias", f32, n));
  }

  private static Tensor tensor(String name, GgmlType type, Integer... dims) {
    return new Tensor(name, List.of(dims), type);
  }

  /** The bytes before the vocabulary: magic, hyper-parameters and mel filters. */
  public static long headerBytes(int nMels) {
    return 4 + 4L * 11 + 8 + 4L * nMels * (N_FFT / 2 + 1);
  }

  /** The bytes of all tensor records a model of this shape and weight type has. */
  public static long tensorBytes(HyperParameters h) {
    return layout(h).stream().mapToLong(Tensor::recordBytes).sum();
  }

  /** The bytes of this file's vocabulary: the count and every (length, text) pair. */
  public long vocabularyBytes() {
    long size = 4;
    for (int i = 0; i < storedTokens; i++) {
      size += 4 + token(i).getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }

  /** Where the tensor records start. */
  public long tensorsOffset() {
    return headerBytes(hparams.nMels()) + vocabularyBytes();
  }

  /** The size of the whole file. */
  public long fileSize() {
    return tensorsOffset() + tensors.stream().mapToLong(Tensor::recordBytes).sum();
  }

  /**
   * Whisper's hyper-parameters as stored in the header.
   *
   * @param ftype weight type as stored: the {@link FileType} code, plus 1000 times the quantisation
   *     version for quantised files
   */
  public record HyperParameters(
      int nVocab, int nAudioCtx, int nAudioState, int nAudioHead, int nAudioLayer,
      int nTextCtx, int nTextState, int nTextHead, int nTextLayer, int nMels, int ftype) {
    /** Whisper tiny, multilingual: 51865 tokens (99 languages), 4 layers of width 384, 80 mel bands, float16. */
    public static final HyperParameters TINY_MULTILINGUAL =
        new HyperParameters(51_865, 1_500, 384, 6, 4, 448, 384, 6, 4, 80, 1);
    /** Whisper base: 6 layers of width 512. */
    public static final HyperParameters BASE = new HyperParameters(51_865, 1_500, 512, 8, 6, 448, 512, 8, 6, 80, 1);
    /** Whisper small: 12 layers of width 768. */
    public static final HyperParameters SMALL = new HyperParameters(51_865, 1_500, 768, 12, 12, 448, 768, 12, 12, 80, 1);
    /** Whisper medium: 24 layers of width 1024. */
    public static final HyperParameters MEDIUM =
        new HyperParameters(51_865, 1_500, 1_024, 16, 24, 448, 1_024, 16, 24, 80, 1);
    /** Whisper large-v3: 32 layers of width 1280, 128 mel bands and a 51866-token vocabulary (100 languages). */
    public static final HyperParameters LARGE_V3 =
        new HyperParameters(51_866, 1_500, 1_280, 20, 32, 448, 1_280, 20, 32, 128, 1);
    /** Whisper large-v3-turbo: the large-v3 encoder with a 4-layer decoder. */
    public static final HyperParameters LARGE_V3_TURBO =
        new HyperParameters(51_866, 1_500, 1_280, 20, 32, 448, 1_280, 20, 4, 128, 1);
    /** Kotoba-Whisper v2.0: distilled from large-v3, the same encoder with a 2-layer decoder. */
    public static final HyperParameters KOTOBA_WHISPER_V2 =
        new HyperParameters(51_866, 1_500, 1_280, 20, 32, 448, 1_280, 20, 2, 128, 1);

    public HyperParameters {
      int[] all = {nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState, nTextHead, nTextLayer, nMels};
      if (Arrays.stream(all).anyMatch(v -> v <= 0)) {
        throw new IllegalArgumentException("hyper-parameters must be positive: " + Arrays.toString(all));
      }
      if (ftype < 0) {
        throw new IllegalArgumentException("ftype < 0");
      }
    }

    /** These hyper-parameters with another weight type, stored as whisper.cpp's quantiser stores it. */
    public HyperParameters withFileType(FileType type) {
      return new HyperParameters(nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState, nTextHead,
          nTextLayer, nMels, type.headerValue());
    }

    /** These hyper-parameters with other layer counts, for small files with every tensor. */
    public HyperParameters withLayers(int audioLayers, int textLayers) {
      return new HyperParameters(nVocab, nAudioCtx, nAudioState, nAudioHead, audioLayers, nTextCtx, nTextState, nTextHead,
          textLayers, nMels, ftype);
    }

    /** The weight type {@link #ftype} names. */
    public FileType fileType() {
      int code = ftype % FileType.QUANTISATION_VERSION_FACTOR;
      for (FileType f : FileType.values()) {
        if (f.code() == code) {
          return f;
        }
      }
      throw new IllegalStateException("ftype " + ftype + " is no weight type this builder writes");
    }

    int[] inFileOrder() {
      return new int[] {nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState, nTextHead, nTextLayer, nMels, ftype};
    }
  }

  /** The whole file in memory; for files with tensors prefer {@link #writeTo}. */
  public byte[] toBytes() {
    long size = fileSize();
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("a test model of " + size + " bytes is too large to hold in memory; write it to a file");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(front());
    for (Tensor t : tensors) {
      out.put(recordHeader(t));
      out.position(Math.toIntExact(out.position() + t.dataBytes())); // zeros
    }
    return out.array();
  }

  /** Writes the file (replacing any file there) and returns {@code file}. */
  public Path writeTo(Path file) throws IOException {
    return write(file, fileSize());
  }

  /**
   * Writes only the first {@code length} bytes of the file: a damaged download. Such a file aborts
   * a process that hands it to whisper.cpp, so only give it to code that must refuse it.
   */
  public Path writeTruncatedTo(Path file, long length) throws IOException {
    long size = fileSize();
    if (length < 0 || length >= size) {
      throw new IllegalArgumentException("length " + length + " is out of range 0.." + (size - 1));
    }
    return write(file, length);
  }

  private Path write(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      Limited out = new Limited(ch, length);
      out.write(front());
      ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
      for (Tensor t : tensors) {
        out.write(recordHeader(t));
        for (long left = t.dataBytes(); left > 0 && !out.full(); ) {
          int n = (int) Math.min(left, zeros.capacity());
          out.write(zeros.clear().limit(n));
          left -= n;
        }
      }
    }
    return file;
  }

  /** Writes at most {@code limit} bytes in all. */
  private static final class Limited {
    private final FileChannel ch;
    private long left;

    Limited(FileChannel ch, long limit) {
      this.ch = ch;
      this.left = limit;
    }

    boolean full() {
      return left == 0;
    }

    void write(ByteBuffer b) throws IOException {
      if (b.remaining() > left) {
        b.limit(b.position() + (int) left);
      }
      while (b.hasRemaining()) {
        left -= ch.write(b);
      }
    }
  }

  /** Magic, hyper-parameters, filters and vocabulary. */
  private ByteBuffer front() {
    float[][] filters = melFilters(hparams.nMels());
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(tensorsOffset())).order(ByteOrder.LITTLE_ENDIAN);
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
    for (int i = 0; i < storedTokens; i++) {
      byte[] t = token(i).getBytes(StandardCharsets.UTF_8);
      out.putInt(t.length).put(t);
    }
    return out.flip();
  }

  private static ByteBuffer recordHeader(Tensor t) {
    byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(12 + 4 * t.dims().size() + name.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(t.dims().size()).putInt(name.length).putInt(t.type().id());
    t.dims().forEach(b::putInt);
    return b.put(name).flip();
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
