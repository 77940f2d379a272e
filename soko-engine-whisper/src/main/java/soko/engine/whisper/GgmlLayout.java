package soko.engine.whisper;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors whisper.cpp creates for a model's hyper-parameters, each with the shape and type the
 * file must store for it, in the names of whisper.cpp's loader: {@code 11 + 15 * n_audio_layer + 24
 * * n_text_layer} of them. A model with a distilled decoder (Kotoba-Whisper, large-v3-turbo) simply
 * has fewer decoder blocks; the 128-mel large-v3 family differs only in the first convolution's
 * input width and the vocabulary rows of the token embedding.
 */
final class GgmlLayout {
  /**
   * One expected tensor.
   *
   * @param dims {@code ne[0]} (varying fastest) first, as the file stores them
   */
  record Tensor(String name, List<Integer> dims, GgmlType type) {
    Tensor {
      dims = List.copyOf(dims);
    }

    long elements() {
      long n = 1;
      for (int d : dims) {
        n *= d;
      }
      return n;
    }

    /** The bytes of the whole record: 12 header bytes, the dimensions, the name, the data. */
    long recordBytes() {
      return 12L + 4L * dims.size() + name.getBytes(StandardCharsets.UTF_8).length + type.bytes(elements());
    }
  }

  private final Map<String, Tensor> tensors;

  private GgmlLayout(Map<String, Tensor> tensors) {
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /** The layout for these hyper-parameters (as {@link GgmlHeader} read them) and weight type. */
  static GgmlLayout of(int nVocab, int nAudioCtx, int nAudioState, int nAudioLayer, int nTextCtx, int nTextState,
      int nTextLayer, int nMels, WeightType weights) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    GgmlType w = weights.matrices;
    GgmlType f32 = GgmlType.F32;
    int a = nAudioState;
    put(t, "encoder.positional_embedding", f32, a, nAudioCtx);
    put(t, "encoder.conv1.weight", weights.convolutions(), 3, nMels, a);
    put(t, "encoder.conv1.bias", f32, 1, a);
    put(t, "encoder.conv2.weight", weights.convolutions(), 3, a, a);
    put(t, "encoder.conv2.bias", f32, 1, a);
    put(t, "encoder.ln_post.weight", f32, a);
    put(t, "encoder.ln_post.bias", f32, a);
    for (int i = 0; i < nAudioLayer; i++) {
      String p = "encoder.blocks." + i + ".";
      attention(t, p + "attn", a, w);
      mlp(t, p, a, w);
    }
    int s = nTextState;
    put(t, "decoder.positional_embedding", f32, s, nTextCtx);
    put(t, "decoder.token_embedding.weight", w, s, nVocab);
    put(t, "decoder.ln.weight", f32, s);
    put(t, "decoder.ln.bias", f32, s);
    for (int i = 0; i < nTextLayer; i++) {
      String p = "decoder.blocks." + i + ".";
      attention(t, p + "attn", s, w);
      attention(t, p + "cross_attn", s, w);
      mlp(t, p, s, w);
    }
    return new GgmlLayout(t);
  }

  static GgmlLayout of(GgmlHeader h) {
    return of(h.nVocab(), h.nAudioCtx(), h.nAudioState(), h.nAudioLayer(), h.nTextCtx(), h.nTextState(), h.nTextLayer(),
        h.nMels(), h.weightType());
  }

  private static void attention(Map<String, Tensor> t, String p, int n, GgmlType w) {
    GgmlType f32 = GgmlType.F32;
    put(t, p + "_ln.weight", f32, n);
    put(t, p + "_ln.bias", f32, n);
    put(t, p + ".query.weight", w, n, n);
    put(t, p + ".query.bias", f32, n);
    put(t, p + ".key.weight", w, n, n);
    put(t, p + ".value.weight", w, n, n);
    put(t, p + ".value.bias", f32, n);
    put(t, p + ".out.weight", w, n, n);
    put(t, p + ".out.bias", f32, n);
  }

  private static void mlp(Map<String, Tensor> t, String p, int n, GgmlType w) {
    GgmlType f32 = GgmlType.F32;
    put(t, p + "mlp_ln.weight", f32, n);
    put(t, p + "mlp_ln.bias", f32, n);
    put(t, p + "mlp.0.weight", w, n, 4 * n);
    put(t, p + "mlp.0.bias", f32, 4 * n);
    put(t, p + "mlp.2.weight", w, 4 * n, n);
    put(t, p + "mlp.2.bias", f32, n);
  }

  private static void put(Map<String, Tensor> t, String name, GgmlType type, Integer... dims) {
    t.put(name, new Tensor(name, List.of(dims), type));
  }

  /** Every expected tensor by name, in whisper.cpp's creation order. */
  Map<String, Tensor> tensors() {
    return tensors;
  }

  /** The bytes all tensor records of such a file take. */
  long bytes() {
    return tensors.values().stream().mapToLong(Tensor::recordBytes).sum();
  }
}
