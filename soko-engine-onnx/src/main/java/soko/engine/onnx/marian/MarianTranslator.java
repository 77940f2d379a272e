package soko.engine.onnx.marian;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Translates text: splits it into sentences, tokenizes, decodes batches of similar length (greedy
 * for one beam, beam search otherwise), and joins the results in the original order and line layout.
 * Inputs longer than the encoder accepts are cut into pieces translated one after another.
 * Thread-safe.
 */
final class MarianTranslator {
  /** Decoder rows per batch: sentences × beams stay at or under this. */
  static final int MAX_ROWS = 16;

  private final MarianText text;
  private final MarianConfig config;
  private final Generator generator;

  MarianTranslator(MarianOnnx model, MarianText text, MarianConfig config) {
    this.text = text;
    this.config = config;
    this.generator = new Generator(model, config);
  }

  MarianConfig config() {
    return config;
  }

  String translate(String input, int beams) throws OrtException {
    List<Sentences.Line> lines = Sentences.split(input);
    List<String> all = new ArrayList<>();
    for (Sentences.Line l : lines) {
      all.addAll(l.sentences());
    }
    List<String> translated = translateSentences(all, beams);
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
  List<String> translateSentences(List<String> sentences, int beams) throws OrtException {
    int eos = config.primaryEos();
    int limit = config.maxPositions();
    // Every input chunk with the sentence it belongs to.
    List<long[]> chunks = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int s = 0; s < sentences.size(); s++) {
      long[] ids = text.encode(sentences.get(s), eos);
      if (ids.length <= 1) {
        continue; // nothing but eos: nothing to translate
      }
      for (int from = 0; from < ids.length - 1; from += limit - 1) {
        int to = Math.min(ids.length - 1, from + limit - 1);
        long[] chunk = Arrays.copyOf(Arrays.copyOfRange(ids, from, to), to - from + 1);
        chunk[to - from] = eos;
        chunks.add(chunk);
        owner.add(s);
      }
    }
    String[] chunkText = new String[chunks.size()];
    Integer[] order = new Integer[chunks.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> chunks.get(i).length));
    int perBatch = Math.max(1, MAX_ROWS / beams);
    for (int from = 0; from < order.length; from += perBatch) {
      int to = Math.min(order.length, from + perBatch);
      long[][] batch = new long[to - from][];
      for (int i = from; i < to; i++) {
        batch[i - from] = chunks.get(order[i]);
      }
      List<int[]> outputs = beams == 1 ? generator.greedy(batch, Generator.StepObserver.NONE)
          : generator.beam(batch, beams, config.earlyStopping());
      for (int i = from; i < to; i++) {
        chunkText[order[i]] = text.decode(outputs.get(i - from));
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
