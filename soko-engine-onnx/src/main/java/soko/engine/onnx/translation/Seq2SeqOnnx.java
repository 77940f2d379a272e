package soko.engine.onnx.translation;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ONNX sessions of an Optimum sequence-to-sequence export and the raw operations on them: encode
 * a padded batch, and run one decoder step with or without the KV cache. Two decoder layouts:
 *
 * <ul>
 *   <li>{@link Layout#MERGED}: {@code decoder_model_merged.onnx}. Step 0 feeds zero-length past
 *       tensors with {@code use_cache_branch=false} and returns the decoder and encoder keys/values;
 *       later steps feed {@code use_cache_branch=true}, the previous step's decoder presents and step
 *       0's encoder presents, because the cached branch returns empty placeholders for the encoder
 *       presents.
 *   <li>{@link Layout#SPLIT}: {@code decoder_model.onnx} for step 0 (no past inputs) and
 *       {@code decoder_with_past_model.onnx} for later steps, which takes the same pasts and returns
 *       decoder presents only.
 * </ul>
 *
 * <p>Inputs are fed by name, and only those a session declares: exports differ on whether the
 * with-past decoder keeps {@code encoder_hidden_states}. Float16 tensors are refused; int8-quantized
 * graphs (DynamicQuantizeLinear, MatMulInteger) take and return float tensors and run as they are.
 *
 * <p>Thread-safe: ONNX Runtime sessions may run concurrently; each call owns its tensors.
 */
final class Seq2SeqOnnx implements AutoCloseable {
  private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(decoder|encoder)\\.(key|value)");
  private static final int MAX_LAYERS = 256;

  /** How the decoder is exported. */
  enum Layout {
    /** One decoder with an If node on {@code use_cache_branch}. */
    MERGED,
    /** A decoder without past inputs and a decoder with them. */
    SPLIT
  }

  /** The model's shape, read from the sessions' inputs and outputs. */
  record Geometry(int layers, int heads, int headDim, int hidden, int vocab) {}

  private final OrtEnvironment env;
  private final OrtSession encoder;
  private final OrtSession firstDecoder;
  private final OrtSession nextDecoder;
  private final Layout layout;
  private final Geometry geometry;
  private final int padId;
  private final Set<String> firstInputs;
  private final Set<String> nextInputs;

  private Seq2SeqOnnx(OrtEnvironment env, OrtSession encoder, OrtSession firstDecoder, OrtSession nextDecoder,
      Layout layout, Geometry geometry, int padId) throws OrtException {
    this.env = env;
    this.encoder = encoder;
    this.firstDecoder = firstDecoder;
    this.nextDecoder = nextDecoder;
    this.layout = layout;
    this.geometry = geometry;
    this.padId = padId;
    this.firstInputs = Set.copyOf(firstDecoder.getInputNames());
    this.nextInputs = Set.copyOf(nextDecoder.getInputNames());
  }

  /**
   * Loads the sessions and checks that they follow the contract.
   *
   * @param decoderFiles the merged decoder, or the decoder and the decoder with past, as {@code layout} says
   * @throws ModelFormatException when a session lacks an input or output of the contract
   */
  static Seq2SeqOnnx open(OrtEnvironment env, Path encoderFile, Layout layout, List<Path> decoderFiles, int threads,
      ModelConfig config) throws OrtException, ModelFormatException {
    int expected = layout == Layout.MERGED ? 1 : 2;
    if (decoderFiles.size() != expected) {
      throw new IllegalArgumentException(layout + " needs " + expected + " decoder files");
    }
    List<AutoCloseable> opened = new ArrayList<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      OrtSession enc = env.createSession(encoderFile.toString(), options);
      opened.add(enc);
      OrtSession first = env.createSession(decoderFiles.get(0).toString(), options);
      opened.add(first);
      OrtSession next = first;
      if (layout == Layout.SPLIT) {
        next = env.createSession(decoderFiles.get(1).toString(), options);
        opened.add(next);
      }
      Geometry g = layout == Layout.MERGED ? mergedGeometry(enc, first, config) : splitGeometry(enc, first, next, config);
      return new Seq2SeqOnnx(env, enc, first, next, layout, g, config.padId());
    } catch (OrtException | ModelFormatException | RuntimeException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static TensorInfo tensor(Map<String, NodeInfo> infos, String name, OnnxJavaType type, int rank, String file)
      throws ModelFormatException {
    NodeInfo n = infos.get(name);
    if (n == null) {
      throw new ModelFormatException(file + " has no \"" + name + "\"; it has " + new java.util.TreeSet<>(infos.keySet()));
    }
    ValueInfo v = n.getInfo();
    if (!(v instanceof TensorInfo t) || t.type != type || t.getShape().length != rank) {
      throw new ModelFormatException(file + "'s \"" + name + "\" is " + v + "; expected a rank-" + rank + " "
          + type + " tensor (float16 exports are not supported: use the fp32 or quantized files)");
    }
    return t;
  }

  private static int fixed(TensorInfo t, int dim, String what, String file) throws ModelFormatException {
    long v = t.getShape()[dim];
    if (v <= 0 || v > Integer.MAX_VALUE) {
      throw new ModelFormatException(file + " does not fix the " + what + " (dimension " + dim + " is dynamic)");
    }
    return (int) v;
  }

  private static int encoderHidden(OrtSession enc) throws OrtException, ModelFormatException {
    String e = "the encoder";
    Map<String, NodeInfo> encIn = enc.getInputInfo();
    tensor(encIn, "input_ids", OnnxJavaType.INT64, 2, e);
    tensor(encIn, "attention_mask", OnnxJavaType.INT64, 2, e);
    if (encIn.size() != 2) {
      throw new ModelFormatException("the encoder has inputs " + new java.util.TreeSet<>(encIn.keySet())
          + "; an Optimum encoder has input_ids and attention_mask only");
    }
    return fixed(tensor(enc.getOutputInfo(), "last_hidden_state", OnnxJavaType.FLOAT, 3, e), 2, "hidden size", e);
  }

  private static int layers(Map<String, NodeInfo> inputs, String file) throws ModelFormatException {
    int layers = 0;
    for (String name : inputs.keySet()) {
      Matcher m = PAST.matcher(name);
      if (m.matches() && m.group(2).equals("decoder") && m.group(3).equals("key")) {
        layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
      }
    }
    if (layers == 0 || layers > MAX_LAYERS) {
      throw new ModelFormatException(file + " has " + layers + " past_key_values inputs; expected 1 to "
          + MAX_LAYERS + " layers of past_key_values.N.decoder.key");
    }
    return layers;
  }

  private static int vocab(Map<String, NodeInfo> outputs, String file, ModelConfig config) throws ModelFormatException {
    TensorInfo logits = tensor(outputs, "logits", OnnxJavaType.FLOAT, 3, file);
    long v = logits.getShape()[2];
    int vocab = v > 0 ? (int) v : config.vocabSize();
    if (vocab != config.vocabSize()) {
      throw new ModelFormatException(file + "'s logits have " + vocab + " entries but config.json says the"
          + " vocabulary has " + config.vocabSize() + "; the files are from different models");
    }
    return vocab;
  }

  /** Checks the pasts of one decoder and returns {heads, head size}. */
  private static int[] pasts(Map<String, NodeInfo> in, Map<String, NodeInfo> out, int layers, boolean encoderPresents,
      String file) throws ModelFormatException {
    TensorInfo first = tensor(in, pastName(0, "decoder", "key"), OnnxJavaType.FLOAT, 4, file);
    int heads = fixed(first, 1, "number of attention heads", file);
    int headDim = fixed(first, 3, "attention head size", file);
    for (int i = 0; i < layers; i++) {
      for (String part : List.of("decoder", "encoder")) {
        for (String kv : List.of("key", "value")) {
          tensor(in, pastName(i, part, kv), OnnxJavaType.FLOAT, 4, file);
          if (part.equals("decoder") || encoderPresents) {
            tensor(out, presentName(i, part, kv), OnnxJavaType.FLOAT, 4, file);
          }
        }
      }
    }
    return new int[] {heads, headDim};
  }

  static Geometry mergedGeometry(OrtSession enc, OrtSession dec, ModelConfig config)
      throws OrtException, ModelFormatException {
    int hidden = encoderHidden(enc);
    String d = "the merged decoder";
    Map<String, NodeInfo> decIn = dec.getInputInfo();
    Map<String, NodeInfo> decOut = dec.getOutputInfo();
    tensor(decIn, "encoder_attention_mask", OnnxJavaType.INT64, 2, d);
    tensor(decIn, "input_ids", OnnxJavaType.INT64, 2, d);
    tensor(decIn, "encoder_hidden_states", OnnxJavaType.FLOAT, 3, d);
    if (!decIn.containsKey("use_cache_branch")) {
      throw new ModelFormatException("the merged decoder has no \"use_cache_branch\" input; it is not a merged"
          + " decoder: name the file decoder_model.onnx and add decoder_with_past_model.onnx, or use the"
          + " decoder_model_merged.onnx of an Optimum export");
    }
    tensor(decIn, "use_cache_branch", OnnxJavaType.BOOL, 1, d);
    int layers = layers(decIn, d);
    int[] hd = pasts(decIn, decOut, layers, true, d);
    int vocab = vocab(decOut, d, config);
    int expectedInputs = 4 + 4 * layers;
    if (decIn.size() != expectedInputs) {
      throw new ModelFormatException("the merged decoder has " + decIn.size() + " inputs; a " + layers
          + "-layer merged decoder has " + expectedInputs + ": " + new java.util.TreeSet<>(decIn.keySet()));
    }
    return new Geometry(layers, hd[0], hd[1], hidden, vocab);
  }

  static Geometry splitGeometry(OrtSession enc, OrtSession first, OrtSession next, ModelConfig config)
      throws OrtException, ModelFormatException {
    int hidden = encoderHidden(enc);
    String d = "decoder_model";
    Map<String, NodeInfo> firstIn = first.getInputInfo();
    tensor(firstIn, "encoder_attention_mask", OnnxJavaType.INT64, 2, d);
    tensor(firstIn, "input_ids", OnnxJavaType.INT64, 2, d);
    tensor(firstIn, "encoder_hidden_states", OnnxJavaType.FLOAT, 3, d);
    if (firstIn.size() != 3) {
      throw new ModelFormatException("decoder_model has inputs " + new java.util.TreeSet<>(firstIn.keySet())
          + "; the decoder without past takes encoder_attention_mask, input_ids and encoder_hidden_states (is it"
          + " a decoder with past or a merged decoder?)");
    }
    String w = "decoder_with_past_model";
    Map<String, NodeInfo> nextIn = next.getInputInfo();
    if (nextIn.containsKey("use_cache_branch")) {
      throw new ModelFormatException("decoder_with_past_model has a use_cache_branch input, so it is a merged"
          + " decoder; name it decoder_model_merged.onnx");
    }
    tensor(nextIn, "encoder_attention_mask", OnnxJavaType.INT64, 2, w);
    tensor(nextIn, "input_ids", OnnxJavaType.INT64, 2, w);
    int layers = layers(nextIn, w);
    int[] hd = pasts(nextIn, next.getOutputInfo(), layers, false, w);
    Map<String, NodeInfo> firstOut = first.getOutputInfo();
    for (int i = 0; i < layers; i++) {
      for (String part : List.of("decoder", "encoder")) {
        for (String kv : List.of("key", "value")) {
          tensor(firstOut, presentName(i, part, kv), OnnxJavaType.FLOAT, 4, d);
        }
      }
    }
    int allowed = 2 + 4 * layers + (nextIn.containsKey("encoder_hidden_states") ? 1 : 0);
    if (nextIn.size() != allowed) {
      throw new ModelFormatException("decoder_with_past_model has " + nextIn.size() + " inputs; a " + layers
          + "-layer decoder with past has " + allowed + ": " + new java.util.TreeSet<>(nextIn.keySet()));
    }
    int vocab = vocab(firstOut, d, config);
    vocab(next.getOutputInfo(), w, config);
    return new Geometry(layers, hd[0], hd[1], hidden, vocab);
  }

  static String pastName(int layer, String part, String kv) {
    return "past_key_values." + layer + "." + part + "." + kv;
  }

  static String presentName(int layer, String part, String kv) {
    return "present." + layer + "." + part + "." + kv;
  }

  Geometry geometry() {
    return geometry;
  }

  Layout layout() {
    return layout;
  }

  private OnnxTensor longs(long[] data, long... shape) throws OrtException {
    return OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape);
  }

  static FloatBuffer directFloats(int n) {
    return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** An encoded batch: hidden states and mask, both [batch, sourceLength(, hidden)]. Close once. */
  final class Encoded implements AutoCloseable {
    final int batch;
    final int length;
    final OnnxTensor hidden;
    final OnnxTensor mask;
    private final List<AutoCloseable> owned;

    Encoded(int batch, int length, OnnxTensor hidden, OnnxTensor mask, List<AutoCloseable> owned) {
      this.batch = batch;
      this.length = length;
      this.hidden = hidden;
      this.mask = mask;
      this.owned = owned;
    }

    /** Each row repeated {@code times} times in a row, for beam search. */
    Encoded repeat(int times) throws OrtException {
      if (times == 1) {
        return this;
      }
      int h = geometry.hidden();
      FloatBuffer src = hidden.getFloatBuffer();
      LongBuffer maskSrc = mask.getLongBuffer();
      FloatBuffer dst = directFloats(batch * times * length * h);
      long[] maskDst = new long[batch * times * length];
      int rowSize = length * h;
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < times; t++) {
          dst.put(src.slice(b * rowSize, rowSize));
          for (int s = 0; s < length; s++) {
            maskDst[(b * times + t) * length + s] = maskSrc.get(b * length + s);
          }
        }
      }
      dst.rewind();
      OnnxTensor hs = OnnxTensor.createTensor(env, dst, new long[] {batch * times, length, h});
      OnnxTensor m = longs(maskDst, batch * times, length);
      return new Encoded(batch * times, length, hs, m, new ArrayList<>(List.of(hs, m)));
    }

    @Override
    public void close() {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception ignored) {
          // Freeing native memory does not fail in a way the caller could act on.
        }
      }
    }
  }

  /** Runs the encoder over sentences padded to the longest with the pad id (mask 0). */
  Encoded encode(long[][] sources) throws OrtException {
    int batch = sources.length;
    int length = 0;
    for (long[] s : sources) {
      length = Math.max(length, s.length);
    }
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      for (int s = 0; s < length; s++) {
        boolean real = s < sources[b].length;
        ids[b * length + s] = real ? sources[b][s] : padId;
        mask[b * length + s] = real ? 1 : 0;
      }
    }
    List<AutoCloseable> owned = new ArrayList<>();
    try (OnnxTensor idTensor = longs(ids, batch, length)) {
      OnnxTensor maskTensor = longs(mask, batch, length);
      owned.add(maskTensor);
      OrtSession.Result r = encoder.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor));
      owned.add(r);
      OnnxTensor hidden = (OnnxTensor) r.get("last_hidden_state").orElseThrow();
      return new Encoded(batch, length, hidden, maskTensor, owned);
    } catch (OrtException | RuntimeException e) {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * The KV cache of one decoding: step 0's encoder keys/values (kept to the end) and the latest
   * decoder keys/values. Not thread-safe; close once.
   */
  final class Cache implements AutoCloseable {
    private final OrtSession.Result first;
    private final OnnxTensor[] encoderKv;
    private OnnxTensor[] decoderKv;
    private Optional<AutoCloseable> decoderOwner = Optional.empty();
    private int pastLength;

    private Cache(OrtSession.Result first, int pastLength) {
      this.first = first;
      this.pastLength = pastLength;
      int layers = geometry.layers();
      encoderKv = new OnnxTensor[2 * layers];
      decoderKv = new OnnxTensor[2 * layers];
      for (int i = 0; i < layers; i++) {
        encoderKv[2 * i] = output(first, presentName(i, "encoder", "key"));
        encoderKv[2 * i + 1] = output(first, presentName(i, "encoder", "value"));
        decoderKv[2 * i] = output(first, presentName(i, "decoder", "key"));
        decoderKv[2 * i + 1] = output(first, presentName(i, "decoder", "value"));
      }
    }

    int pastLength() {
      return pastLength;
    }

    private void advance(OrtSession.Result next, int added) {
      OnnxTensor[] kv = new OnnxTensor[decoderKv.length];
      for (int i = 0; i < geometry.layers(); i++) {
        kv[2 * i] = output(next, presentName(i, "decoder", "key"));
        kv[2 * i + 1] = output(next, presentName(i, "decoder", "value"));
      }
      replace(kv, next);
      pastLength += added;
    }

    private void replace(OnnxTensor[] kv, AutoCloseable owner) {
      decoderOwner.ifPresent(Seq2SeqOnnx::closeQuietly);
      decoderKv = kv;
      decoderOwner = Optional.of(owner);
    }

    /** Makes row {@code r} of the decoder cache a copy of row {@code origins[r]}, for beam search. */
    void reorder(int[] origins) throws OrtException {
      int layers = geometry.layers();
      int rowSize = geometry.heads() * pastLength * geometry.headDim();
      OnnxTensor[] kv = new OnnxTensor[decoderKv.length];
      List<OnnxTensor> created = new ArrayList<>();
      try {
        for (int i = 0; i < 2 * layers; i++) {
          FloatBuffer src = decoderKv[i].getFloatBuffer();
          FloatBuffer dst = directFloats(origins.length * rowSize);
          for (int origin : origins) {
            dst.put(src.slice(origin * rowSize, rowSize));
          }
          dst.rewind();
          kv[i] = OnnxTensor.createTensor(env, dst,
              new long[] {origins.length, geometry.heads(), pastLength, geometry.headDim()});
          created.add(kv[i]);
        }
      } catch (OrtException | RuntimeException e) {
        created.forEach(OnnxTensor::close);
        throw e;
      }
      replace(kv, () -> created.forEach(OnnxTensor::close));
    }

    @Override
    public void close() {
      decoderOwner.ifPresent(Seq2SeqOnnx::closeQuietly);
      first.close();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Freeing native memory does not fail in a way the caller could act on.
    }
  }

  private static OnnxTensor output(OrtSession.Result r, String name) {
    OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("the decoder returned no " + name));
    return (OnnxTensor) v;
  }

  /** Logits of a decoder run, [batch, tokens, vocab] flattened. */
  record Logits(float[] values, int batch, int tokens, int vocab) {
    float at(int b, int t, int v) {
      return values[(b * tokens + t) * vocab + v];
    }
  }

  /** What {@link #firstStep} returns: the logits and a cache to continue from. */
  record Started(Logits logits, Cache cache) {}

  /**
   * Runs the no-cache branch over whole decoder inputs [batch, T]: zero-length pasts,
   * {@code use_cache_branch=false}. Returns a cache holding step 0's encoder keys/values.
   */
  Started firstStep(Encoded enc, long[][] decoderIds) throws OrtException {
    int batch = decoderIds.length;
    int tokens = decoderIds[0].length;
    long[] flat = new long[batch * tokens];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(decoderIds[b], 0, flat, b * tokens, tokens);
    }
    Map<String, OnnxTensor> in = new HashMap<>();
    List<OnnxTensor> created = new ArrayList<>();
    try {
      OnnxTensor ids = longs(flat, batch, tokens);
      created.add(ids);
      in.put("input_ids", ids);
      in.put("encoder_attention_mask", enc.mask);
      in.put("encoder_hidden_states", enc.hidden);
      if (layout == Layout.MERGED) {
        OnnxTensor empty = OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
            new long[] {batch, geometry.heads(), 0, geometry.headDim()});
        created.add(empty);
        OnnxTensor flag = OnnxTensor.createTensor(env, new boolean[] {false});
        created.add(flag);
        in.put("use_cache_branch", flag);
        for (int i = 0; i < geometry.layers(); i++) {
          for (String part : List.of("decoder", "encoder")) {
            in.put(pastName(i, part, "key"), empty);
            in.put(pastName(i, part, "value"), empty);
          }
        }
      }
      in.keySet().retainAll(firstInputs);
      OrtSession.Result r = firstDecoder.run(in);
      try {
        Logits logits = logits(r, batch, tokens);
        return new Started(logits, new Cache(r, tokens));
      } catch (OrtException | RuntimeException e) {
        r.close();
        throw e;
      }
    } finally {
      created.forEach(OnnxTensor::close);
    }
  }

  /** Runs the cached branch for one new token per row and advances the cache. */
  Logits nextStep(Encoded enc, Cache cache, long[] lastTokens) throws OrtException {
    int batch = lastTokens.length;
    Map<String, OnnxTensor> in = new HashMap<>();
    try (OnnxTensor ids = longs(lastTokens.clone(), batch, 1);
        OnnxTensor flag = OnnxTensor.createTensor(env, new boolean[] {true})) {
      in.put("input_ids", ids);
      in.put("encoder_attention_mask", enc.mask);
      in.put("encoder_hidden_states", enc.hidden);
      in.put("use_cache_branch", flag);
      for (int i = 0; i < geometry.layers(); i++) {
        in.put(pastName(i, "decoder", "key"), cache.decoderKv[2 * i]);
        in.put(pastName(i, "decoder", "value"), cache.decoderKv[2 * i + 1]);
        in.put(pastName(i, "encoder", "key"), cache.encoderKv[2 * i]);
        in.put(pastName(i, "encoder", "value"), cache.encoderKv[2 * i + 1]);
      }
      in.keySet().retainAll(nextInputs);
      OrtSession.Result r = nextDecoder.run(in);
      try {
        Logits logits = logits(r, batch, 1);
        cache.advance(r, 1);
        return logits;
      } catch (OrtException | RuntimeException e) {
        r.close();
        throw e;
      }
    }
  }

  private Logits logits(OrtSession.Result r, int batch, int tokens) throws OrtException {
    FloatBuffer buf = output(r, "logits").getFloatBuffer();
    float[] values = new float[buf.remaining()];
    buf.get(values);
    if (values.length != batch * tokens * geometry.vocab()) {
      throw new IllegalStateException("the decoder returned " + values.length + " logits; expected "
          + batch * tokens * geometry.vocab());
    }
    return new Logits(values, batch, tokens, geometry.vocab());
  }

  @Override
  public void close() {
    if (nextDecoder != firstDecoder) {
      closeQuietly(nextDecoder);
    }
    closeQuietly(firstDecoder);
    closeQuietly(encoder);
  }
}
