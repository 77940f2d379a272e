package soko.engine.onnx.translation;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes random-weight Marian-architecture ONNX models with exactly the Optimum export contract:
 * {@code encoder_model.onnx} (input_ids, attention_mask → last_hidden_state) and
 * {@code decoder_model_merged.onnx} whose {@code If(use_cache_branch)} node runs either the no-past
 * decoder (computing cross-attention keys/values) or the with-past decoder (reusing them and
 * returning empty [0, heads, 1, head dim] placeholders for the encoder presents).
 *
 * <p>The architecture: scaled embeddings, sinusoidal positions from the past length, post-norm
 * layers, swish feed-forward, causal self-attention, padded cross-attention, tied LM head plus
 * {@code final_logits_bias}. Random weights give meaningless text; tests check invariants only.
 */
final class TinyMarian {
  static final int OPSET = 17;

  /**
   * @param vocab vocabulary size (pad = vocab - 1, eos = 0)
   * @param eosBias added to the eos logit: large positive ends at once, large negative never ends
   * @param padBias added to the pad logit, to show that pad is never chosen
   * @param brokenCachePositions a deliberately wrong with-past branch that restarts positions at 0
   */
  record Geometry(int vocab, int dModel, int heads, int ffn, int encoderLayers, int decoderLayers, int maxPositions,
      long seed, float eosBias, float padBias, boolean brokenCachePositions) {
    Geometry {
      if (dModel % heads != 0) {
        throw new IllegalArgumentException("dModel % heads != 0");
      }
    }

    static Geometry small(int vocab) {
      return new Geometry(vocab, 16, 2, 32, 2, 2, 64, 7, 0, 0, false);
    }

    int headDim() {
      return dModel / heads;
    }

    Geometry withSeed(long s) {
      return new Geometry(vocab, dModel, heads, ffn, encoderLayers, decoderLayers, maxPositions, s, eosBias, padBias,
          brokenCachePositions);
    }

    Geometry withBiases(float eos, float pad) {
      return new Geometry(vocab, dModel, heads, ffn, encoderLayers, decoderLayers, maxPositions, seed, eos, pad,
          brokenCachePositions);
    }

    Geometry withBrokenCache() {
      return new Geometry(vocab, dModel, heads, ffn, encoderLayers, decoderLayers, maxPositions, seed, eosBias, padBias,
          true);
    }
  }

  private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  private static final int INT64 = TensorProto.DataType.INT64_VALUE;
  private static final int BOOL = TensorProto.DataType.BOOL_VALUE;

  private final Geometry g;
  private final Random random;
  private final AtomicInteger counter = new AtomicInteger();

  private TinyMarian(Geometry g) {
    this.g = g;
    this.random = new Random(g.seed());
  }

  /** Writes both models into {@code dir} under the Optimum file names (plus a suffix such as "_quantized"). */
  static void write(Geometry g, Path dir, String suffix) throws IOException {
    TinyMarian m = new TinyMarian(g);
    Weights w = m.weights();
    Files.createDirectories(dir);
    Files.write(dir.resolve("encoder_model" + suffix + ".onnx"), m.encoder(w).toByteArray());
    Files.write(dir.resolve("decoder_model_merged" + suffix + ".onnx"), m.decoder(w).toByteArray());
  }

  private float[] normal(int n, float std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (random.nextGaussian() * std);
    }
    return a;
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  record Linear(float[] w, float[] b, int in, int out) {}

  record Attention(Linear q, Linear k, Linear v, Linear o) {}

  record Layer(Attention self, Attention cross, float[] ln1g, float[] ln1b, float[] ln2g, float[] ln2b, float[] ln3g,
      float[] ln3b, Linear fc1, Linear fc2) {}

  record Weights(float[] embed, float[] positions, float[] logitsBias, List<Layer> encoder, List<Layer> decoder) {}

  private Linear linear(int in, int out) {
    return new Linear(normal(in * out, (float) (1 / Math.sqrt(in))), normal(out, 0.02f), in, out);
  }

  private Attention attention() {
    int d = g.dModel();
    return new Attention(linear(d, d), linear(d, d), linear(d, d), linear(d, d));
  }

  private Layer layer(boolean decoder) {
    int d = g.dModel();
    return new Layer(attention(), decoder ? attention() : null, filled(d, 1), normal(d, 0.02f), filled(d, 1),
        normal(d, 0.02f), filled(d, 1), normal(d, 0.02f), linear(d, g.ffn()), linear(g.ffn(), d));
  }

  private Weights weights() {
    int d = g.dModel();
    float[] embed = normal(g.vocab() * d, 0.5f);
    int pad = g.vocab() - 1;
    java.util.Arrays.fill(embed, pad * d, pad * d + d, 0f); // padding_idx: the pad embedding is zero
    float[] pos = new float[g.maxPositions() * d];
    int half = d / 2;
    for (int p = 0; p < g.maxPositions(); p++) {
      for (int j = 0; j < half; j++) {
        double angle = p / Math.pow(10000, 2.0 * j / d);
        pos[p * d + j] = (float) Math.sin(angle);
        pos[p * d + half + j] = (float) Math.cos(angle);
      }
    }
    float[] bias = normal(g.vocab(), 0.1f);
    bias[0] += g.eosBias();
    bias[pad] += g.padBias();
    List<Layer> enc = new ArrayList<>();
    for (int i = 0; i < g.encoderLayers(); i++) {
      enc.add(layer(false));
    }
    List<Layer> dec = new ArrayList<>();
    for (int i = 0; i < g.decoderLayers(); i++) {
      dec.add(layer(true));
    }
    return new Weights(embed, pos, bias, enc, dec);
  }

  /** Initializers of one model: weights are uploaded once into the main graph and referenced from branches. */
  private final class Params {
    final OnnxGraph main;
    final String embed;
    final String embedT;
    final String positions;
    final String logitsBias;
    final List<String[]> encoder = new ArrayList<>();
    final List<String[]> decoder = new ArrayList<>();

    Params(OnnxGraph main, Weights w, boolean forDecoder) {
      this.main = main;
      int d = g.dModel();
      embed = main.floats("embed_tokens", w.embed(), g.vocab(), d);
      positions = main.floats("embed_positions", w.positions(), g.maxPositions(), d);
      if (forDecoder) {
        // A stored transposed copy, as exports have, rather than a Transpose node that ONNX Runtime
        // might run at every step.
        float[] t = new float[w.embed().length];
        for (int v = 0; v < g.vocab(); v++) {
          for (int j = 0; j < d; j++) {
            t[j * g.vocab() + v] = w.embed()[v * d + j];
          }
        }
        embedT = main.floats("lm_head", t, d, g.vocab());
        logitsBias = main.floats("final_logits_bias", w.logitsBias(), g.vocab());
        for (Layer l : w.decoder()) {
          decoder.add(upload(l));
        }
      } else {
        embedT = "";
        logitsBias = "";
        for (Layer l : w.encoder()) {
          encoder.add(upload(l));
        }
      }
    }

    private String[] upload(Layer l) {
      List<String> names = new ArrayList<>();
      for (Attention a : l.cross() == null ? List.of(l.self()) : List.of(l.self(), l.cross())) {
        for (Linear lin : List.of(a.q(), a.k(), a.v(), a.o())) {
          names.add(main.floats("w", lin.w(), lin.in(), lin.out()));
          names.add(main.floats("b", lin.b(), lin.out()));
        }
      }
      for (float[] ln : List.of(l.ln1g(), l.ln1b(), l.ln2g(), l.ln2b(), l.ln3g(), l.ln3b())) {
        names.add(main.floats("ln", ln, ln.length));
      }
      for (Linear lin : List.of(l.fc1(), l.fc2())) {
        names.add(main.floats("w", lin.w(), lin.in(), lin.out()));
        names.add(main.floats("b", lin.b(), lin.out()));
      }
      return names.toArray(String[]::new);
    }
  }

  private String linear(OnnxGraph x, String in, String w, String b) {
    return x.op("Add", List.of(x.op("MatMul", List.of(in, w)), b));
  }

  /** [B, T, d] → [B, H, T, dh] */
  private String heads(OnnxGraph x, String in) {
    String r = x.op("Reshape", List.of(in, x.longs(0, 0, g.heads(), g.headDim())));
    return x.op("Transpose", List.of(r), OnnxGraph.intsAttr("perm", 0, 2, 1, 3));
  }

  /** Attention of q [B,H,T,dh] over k, v [B,H,S,dh] with an additive bias, projected back to [B, T, d]. */
  private String attend(OnnxGraph x, String q, String k, String v, String bias, String wo, String bo) {
    String kt = x.op("Transpose", List.of(k), OnnxGraph.intsAttr("perm", 0, 1, 3, 2));
    String scores = x.op("Mul", List.of(x.op("MatMul", List.of(q, kt)), x.scalarFloat((float) (1 / Math.sqrt(g.headDim())))));
    String probs = x.op("Softmax", List.of(x.op("Add", List.of(scores, bias))), OnnxGraph.intAttr("axis", -1));
    String ctx = x.op("Transpose", List.of(x.op("MatMul", List.of(probs, v))), OnnxGraph.intsAttr("perm", 0, 2, 1, 3));
    String merged = x.op("Reshape", List.of(ctx, x.longs(0, 0, g.dModel())));
    return linear(x, merged, wo, bo);
  }

  private String norm(OnnxGraph x, String in, String gamma, String beta) {
    return x.op("LayerNormalization", List.of(in, gamma, beta), OnnxGraph.intAttr("axis", -1),
        OnnxGraph.floatAttr("epsilon", 1e-5f));
  }

  private String feedForward(OnnxGraph x, String in, String w1, String b1, String w2, String b2) {
    String h = linear(x, in, w1, b1);
    String swish = x.op("Mul", List.of(h, x.op("Sigmoid", List.of(h))));
    return linear(x, swish, w2, b2);
  }

  /** Token embeddings times sqrt(d) plus the positions [start, start + T). */
  private String embed(OnnxGraph x, Params p, String ids, String start, String length) {
    String tokens = x.op("Mul", List.of(x.op("Gather", List.of(p.embed, ids), OnnxGraph.intAttr("axis", 0)),
        x.scalarFloat((float) Math.sqrt(g.dModel()))));
    String end = x.op("Add", List.of(start, length));
    String range = x.op("Range", List.of(start, end, x.scalarLong(1)));
    return x.op("Add", List.of(tokens, x.op("Gather", List.of(p.positions, range), OnnxGraph.intAttr("axis", 0))));
  }

  /** A [B, 1, 1, S] additive bias that hides padded positions. */
  private String padBias(OnnxGraph x, String mask) {
    String m = x.op("Cast", List.of(mask), OnnxGraph.intAttr("to", FLOAT));
    String hidden = x.op("Sub", List.of(x.scalarFloat(1f), m));
    return x.op("Unsqueeze", List.of(x.op("Mul", List.of(hidden, x.scalarFloat(-1e9f))), x.longs(1, 2)));
  }

  private ModelProto model(OnnxGraph graph) {
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("soko-test-tiny-marian")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph.graph).build();
  }

  private ModelProto encoder(Weights w) {
    OnnxGraph x = new OnnxGraph("encoder", counter);
    x.graph.addInput(OnnxGraph.value("input_ids", INT64, "batch_size", "encoder_sequence_length"));
    x.graph.addInput(OnnxGraph.value("attention_mask", INT64, "batch_size", "encoder_sequence_length"));
    Params p = new Params(x, w, false);
    String h = embed(x, p, "input_ids", x.scalarLong(0), x.dim("input_ids", 1));
    String bias = padBias(x, "attention_mask");
    for (String[] l : p.encoder) {
      String q = heads(x, linear(x, h, l[0], l[1]));
      String k = heads(x, linear(x, h, l[2], l[3]));
      String v = heads(x, linear(x, h, l[4], l[5]));
      h = norm(x, x.op("Add", List.of(h, attend(x, q, k, v, bias, l[6], l[7]))), l[8], l[9]);
      h = norm(x, x.op("Add", List.of(h, feedForward(x, h, l[14], l[15], l[16], l[17]))), l[10], l[11]);
    }
    x.opInto("Identity", List.of(h), List.of("last_hidden_state"));
    x.graph.addOutput(OnnxGraph.value("last_hidden_state", FLOAT, "batch_size", "encoder_sequence_length", g.dModel()));
    return model(x);
  }

  private static String past(int i, String part, String kv) {
    return "past_key_values." + i + "." + part + "." + kv;
  }

  private static String present(int i, String part, String kv) {
    return "present." + i + "." + part + "." + kv;
  }

  private ModelProto decoder(Weights w) {
    OnnxGraph x = new OnnxGraph("decoder", counter);
    x.graph.addInput(OnnxGraph.value("encoder_attention_mask", INT64, "batch_size", "encoder_sequence_length"));
    x.graph.addInput(OnnxGraph.value("input_ids", INT64, "batch_size", "decoder_sequence_length"));
    x.graph.addInput(OnnxGraph.value("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length",
        g.dModel()));
    for (int i = 0; i < g.decoderLayers(); i++) {
      for (String kv : List.of("key", "value")) {
        x.graph.addInput(OnnxGraph.value(past(i, "decoder", kv), FLOAT, "batch_size", g.heads(),
            "past_decoder_sequence_length", g.headDim()));
      }
      for (String kv : List.of("key", "value")) {
        x.graph.addInput(OnnxGraph.value(past(i, "encoder", kv), FLOAT, "batch_size", g.heads(),
            "encoder_sequence_length_out", g.headDim()));
      }
    }
    x.graph.addInput(OnnxGraph.value("use_cache_branch", BOOL, 1));
    Params p = new Params(x, w, true);
    List<String> outputs = new ArrayList<>();
    outputs.add("logits");
    for (int i = 0; i < g.decoderLayers(); i++) {
      outputs.add(present(i, "decoder", "key"));
      outputs.add(present(i, "decoder", "value"));
      outputs.add(present(i, "encoder", "key"));
      outputs.add(present(i, "encoder", "value"));
    }
    var withPast = branch(p, true);
    var noPast = branch(p, false);
    x.opInto("If", List.of("use_cache_branch"), outputs, OnnxGraph.graphAttr("then_branch", withPast),
        OnnxGraph.graphAttr("else_branch", noPast));
    x.graph.addOutput(OnnxGraph.value("logits", FLOAT, "batch_size", "decoder_sequence_length", g.vocab()));
    for (int i = 0; i < g.decoderLayers(); i++) {
      for (String kv : List.of("key", "value")) {
        x.graph.addOutput(OnnxGraph.value(present(i, "decoder", kv), FLOAT, "batch_size", g.heads(),
            "present_decoder_sequence_length", g.headDim()));
      }
      for (String kv : List.of("key", "value")) {
        x.graph.addOutput(OnnxGraph.value(present(i, "encoder", kv), FLOAT, "batch_size", g.heads(),
            "encoder_sequence_length_out", g.headDim()));
      }
    }
    return model(x);
  }

  private ai.onnx.proto.OnnxMl.GraphProto branch(Params p, boolean withPast) {
    OnnxGraph x = new OnnxGraph(withPast ? "with_past" : "no_past", counter);
    String length = x.dim("input_ids", 1);
    String start = withPast && !g.brokenCachePositions() ? x.dim(past(0, "decoder", "key"), 2) : x.scalarLong(0);
    String h = embed(x, p, "input_ids", start, length);
    String end = x.op("Add", List.of(start, length));
    String queryPos = x.op("Unsqueeze", List.of(x.op("Range", List.of(start, end, x.scalarLong(1))), x.longs(1)));
    String keyPos = x.op("Unsqueeze", List.of(x.op("Range", List.of(x.scalarLong(0), end, x.scalarLong(1))), x.longs(0)));
    String causal = x.op("Where", List.of(x.op("Greater", List.of(keyPos, queryPos)), x.scalarFloat(-1e9f),
        x.scalarFloat(0f)));
    String crossBias = padBias(x, "encoder_attention_mask");
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < p.decoder.size(); i++) {
      String[] l = p.decoder.get(i);
      String q = heads(x, linear(x, h, l[0], l[1]));
      String k = heads(x, linear(x, h, l[2], l[3]));
      String v = heads(x, linear(x, h, l[4], l[5]));
      if (withPast) {
        k = x.op("Concat", List.of(past(i, "decoder", "key"), k), OnnxGraph.intAttr("axis", 2));
        v = x.op("Concat", List.of(past(i, "decoder", "value"), v), OnnxGraph.intAttr("axis", 2));
      }
      h = norm(x, x.op("Add", List.of(h, attend(x, q, k, v, causal, l[6], l[7]))), l[16], l[17]);
      String cq = heads(x, linear(x, h, l[8], l[9]));
      String ck;
      String cv;
      String presentKey;
      String presentValue;
      if (withPast) {
        ck = past(i, "encoder", "key");
        cv = past(i, "encoder", "value");
        // Optimum's merge replaces these outputs with empty constants: callers must keep step 0's.
        presentKey = x.floats("empty", new float[0], 0, g.heads(), 1, g.headDim());
        presentValue = x.floats("empty", new float[0], 0, g.heads(), 1, g.headDim());
      } else {
        ck = heads(x, linear(x, "encoder_hidden_states", l[10], l[11]));
        cv = heads(x, linear(x, "encoder_hidden_states", l[12], l[13]));
        presentKey = ck;
        presentValue = cv;
      }
      h = norm(x, x.op("Add", List.of(h, attend(x, cq, ck, cv, crossBias, l[14], l[15]))), l[18], l[19]);
      h = norm(x, x.op("Add", List.of(h, feedForward(x, h, l[22], l[23], l[24], l[25]))), l[20], l[21]);
      outputs.add(x.op("Identity", List.of(k)));
      outputs.add(x.op("Identity", List.of(v)));
      outputs.add(x.op("Identity", List.of(presentKey)));
      outputs.add(x.op("Identity", List.of(presentValue)));
    }
    String logits = x.op("Add", List.of(x.op("MatMul", List.of(h, p.embedT)), p.logitsBias));
    outputs.addFirst(logits);
    for (String o : outputs) {
      x.graph.addOutput(OnnxGraph.value(o, FLOAT));
    }
    return x.graph.build();
  }
}
