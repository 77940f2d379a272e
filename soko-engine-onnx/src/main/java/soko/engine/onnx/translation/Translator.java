package soko.engine.onnx.translation;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import soko.manifest.Language;

/**
 * Translates text: splits it into sentences, tokenizes, decodes batches of similar length (greedy
 * for one beam, beam search otherwise), and joins the results in the original order and line layout.
 * Inputs longer than the encoder accepts are cut into pieces translated one after another. Graphs
 * that quantize activations at run time are fed one sentence at a time, so that a sentence's
 * translation does not depend on the sentences around it (see {@link QuantizedGraphs}).
 * Thread-safe.
 */
final class Translator {
  /** Decoder rows per batch: sentences × beams stay at or under this. */
  static final int MAX_ROWS = 16;

  private final TextCodec text;
  private final ModelConfig config;
  private final Generator generator;
  private final boolean batchSentences;

  /**
   * @param batchSentences whether several sentences may share a batch (false for graphs whose
   *     results depend on the batch)
   */
  Translator(Seq2SeqOnnx model, TextCodec text, ModelConfig config, boolean batchSentences) {
    this.text = text;
    this.config = config;
    this.generator = new Generator(model, config);
    this.batchSentences = batchSentences;
  }

  boolean batchesSentences() {
    return batchSentences;
  }

  ModelConfig config() {
    return config;
  }

  TextCodec codec() {
    return text;
  }

  String translate(String input, Language from, Language to, int beams)
      throws OrtException, TextCodec.UnsupportedLanguageException {
    List<Sentences.Line> lines = Sentences.split(input);
    List<String> all = new ArrayList<>();
    for (Sentences.Line l : lines) {
      all.addAll(l.sentences());
    }
    List<String> translated = translateSentences(all, from, to, beams);
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (Sentences.Line l : lines) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < l.sentences().size(); i++) {
        String t = translated.get(next++);
        if (!t.isEmpty()) {
          parts.add(t);
        }
      }
      out.append(String.join(" ", parts)).append(l.lineBreak());
    }
    return out.toString();
  }

  /** Each sentence's translation, in order. */
  List<String> translateSentences(List<String> sentences, Language from, Language to, int beams)
      throws OrtException, TextCodec.UnsupportedLanguageException {
    Optional<Integer> forced = text.forcedFirstToken(to);
    int limit = config.maxPositions() - text.specialTokenCount();
    // Every input chunk with the sentence it belongs to.
    List<long[]> chunks = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int s = 0; s < sentences.size(); s++) {
      int[] ids = text.encodeText(sentences.get(s));
      if (ids.length == 0) {
        continue; // nothing but special tokens: nothing to translate
      }
      for (int start = 0; start < ids.length; start += limit) {
        chunks.add(text.wrap(Arrays.copyOfRange(ids, start, Math.min(ids.length, start + limit)), from));
        owner.add(s);
      }
    }
    String[] chunkText = new String[chunks.size()];
    Integer[] order = new Integer[chunks.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> chunks.get(i).length));
    int perBatch = batchSentences ? Math.max(1, MAX_ROWS / beams) : 1;
    for (int start = 0; start < order.length; start += perBatch) {
      int end = Math.min(order.length, start + perBatch);
      long[][] batch = new long[end - start][];
      for (int i = start; i < end; i++) {
        batch[i - start] = chunks.get(order[i]);
      }
      List<int[]> outputs = beams == 1 ? generator.greedy(batch, forced, Generator.StepObserver.NONE)
          : generator.beam(batch, beams, config.earlyStopping(), forced);
      for (int i = start; i < end; i++) {
        chunkText[order[i]] = text.decode(outputs.get(i - start));
      }
    }
    List<StringBuilder> result = new ArrayList<>();
    for (int s = 0; s < sentences.size(); s++) {
      result.add(new StringBuilder());
    }
    for (int i = 0; i < chunkText.length; i++) {
      StringBuilder sb = result.get(owner.get(i));
      if (!sb.isEmpty() && !chunkText[i].isEmpty()) {
        sb.append(' ');
      }
      sb.append(chunkText[i]);
    }
    return result.stream().map(StringBuilder::toString).toList();
  }
}
