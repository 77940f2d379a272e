package soko.engine.onnx.translation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.engine.onnx.json.Json;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;
import soko.engine.onnx.sentencepiece.SentencePieceModel;
import soko.manifest.Language;

/**
 * Text to token ids and back as Marian tokenizers do it with {@code source.spm}, {@code target.spm}
 * and {@code vocab.json}: the source SentencePiece model splits text into pieces, the shared
 * vocabulary maps pieces to model ids (unknown pieces to {@code <unk>}), and eos ends the input;
 * output ids map back to pieces, special tokens are dropped, and the target SentencePiece model joins
 * the pieces into text. Immutable and thread-safe.
 */
final class SentencePieceCodec implements TextCodec {
  static final long MAX_VOCAB_BYTES = 64L << 20;
  static final int MAX_VOCAB_ENTRIES = 1_000_000;
  private static final String UNKNOWN = "<unk>";

  private final SentencePieceModel source;
  private final SentencePieceModel target;
  private final Map<String, Integer> ids;
  private final String[] pieces;
  private final int unknownId;
  private final Set<Integer> special;
  private final int eos;

  SentencePieceCodec(SentencePieceModel source, SentencePieceModel target, Map<String, Integer> vocab,
      ModelConfig config) {
    this.source = source;
    this.target = target;
    this.ids = Map.copyOf(vocab);
    int max = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    this.pieces = new String[max + 1];
    vocab.forEach((piece, id) -> pieces[id] = piece);
    Integer unk = vocab.get(UNKNOWN);
    if (unk == null) {
      throw new IllegalArgumentException("vocab.json has no " + UNKNOWN + " entry");
    }
    this.unknownId = unk;
    Set<Integer> s = new HashSet<>(config.eosIds());
    s.add(config.padId());
    s.add(config.decoderStartId());
    s.add(unknownId);
    this.special = Set.copyOf(s);
    this.eos = config.primaryEos();
  }

  static Map<String, Integer> readVocab(Path file, int vocabSize) throws IOException, JsonFormatException {
    Node root = Json.parse(Files.readAllBytes(file), MAX_VOCAB_BYTES, "vocab.json");
    Map<String, Integer> vocab = HashMap.newHashMap(vocabSize);
    for (Node.Member m : root.members(MAX_VOCAB_ENTRIES)) {
      vocab.put(m.key(), (int) m.value().integer(0, vocabSize - 1));
    }
    return vocab;
  }

  @Override
  public java.util.OptionalInt unknownId() {
    return java.util.OptionalInt.of(unknownId);
  }

  @Override
  public int[] encodeText(String sentence) {
    List<String> p = source.encodeToPieces(sentence);
    int[] out = new int[p.size()];
    for (int i = 0; i < p.size(); i++) {
      out[i] = ids.getOrDefault(p.get(i), unknownId);
    }
    return out;
  }

  @Override
  public long[] wrap(int[] text, Language from) {
    long[] out = new long[text.length + 1];
    for (int i = 0; i < text.length; i++) {
      out[i] = text[i];
    }
    out[text.length] = eos;
    return out;
  }

  @Override
  public Optional<Integer> forcedFirstToken(Language to) {
    return Optional.empty();
  }

  @Override
  public int specialTokenCount() {
    return 1;
  }

  @Override
  public String decode(int[] output) {
    List<String> p = new ArrayList<>(output.length);
    for (int id : output) {
      if (!special.contains(id) && id >= 0 && id < pieces.length && pieces[id] != null) {
        p.add(pieces[id]);
      }
    }
    return target.decodePieces(p).replace('\u2581', ' ').strip();
  }
}
