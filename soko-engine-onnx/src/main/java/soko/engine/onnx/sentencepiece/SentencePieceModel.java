package soko.engine.onnx.sentencepiece;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.engine.onnx.trie.Trie;

/**
 * A SentencePiece unigram model read from a {@code .spm}/{@code .model} file (a serialised
 * {@code ModelProto}), which encodes text into pieces exactly as the native SentencePiece library
 * does: the model's normaliser, then the best segmentation by piece scores (Viterbi), with unknown
 * characters scored at the lowest piece score minus 10 and consecutive unknown pieces fused.
 *
 * <p>BPE, word and char models, byte fallback and whitespace-as-suffix models are refused when
 * loading. A denormaliser, if the model has one, is not applied when decoding.
 *
 * <p>Immutable and thread-safe.
 */
public final class SentencePieceModel {
  /** Larger files are refused: real models are a few MB. */
  public static final long MAX_FILE_SIZE = 64L << 20;

  private static final float UNKNOWN_PENALTY = 10.0f;
  private static final String SPACE = "\u2581";
  private static final String DEFAULT_UNKNOWN_SURFACE = " \u2047 ";

  private enum Type {
    NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    static Type of(long wire) throws SentencePieceFormatException {
      return switch ((int) wire) {
        case 1 -> NORMAL;
        case 2 -> UNKNOWN;
        case 3 -> CONTROL;
        case 4 -> USER_DEFINED;
        case 5 -> UNUSED;
        case 6 -> BYTE;
        default -> throw new SentencePieceFormatException("the model has a piece of unknown type " + wire);
      };
    }
  }

  private final String[] pieces;
  private final float[] scores;
  private final Type[] types;
  private final Map<String, Integer> ids;
  private final Trie trie;
  private final Normalizer normalizer;
  private final int unknownId;
  private final float unknownScore;
  private final float maxScore;
  private final String unknownSurface;

  private SentencePieceModel(String[] pieces, float[] scores, Type[] types, Normalizer normalizer, String unknownSurface)
      throws SentencePieceFormatException {
    this.pieces = pieces;
    this.scores = scores;
    this.types = types;
    this.normalizer = normalizer;
    this.unknownSurface = unknownSurface;
    this.ids = HashMap.newHashMap(pieces.length);
    int unk = -1;
    float min = Float.MAX_VALUE;
    float max = Float.MIN_NORMAL; // as the native library starts it (FLT_MIN)
    int totalBytes = 0;
    for (int i = 0; i < pieces.length; i++) {
      if (pieces[i].isEmpty()) {
        throw new SentencePieceFormatException("the model's piece " + i + " is empty");
      }
      if (ids.putIfAbsent(pieces[i], i) != null) {
        throw new SentencePieceFormatException("the model defines the piece \"" + pieces[i] + "\" twice");
      }
      switch (types[i]) {
        case UNKNOWN -> {
          if (unk >= 0) {
            throw new SentencePieceFormatException("the model defines two unknown pieces");
          }
          unk = i;
        }
        case NORMAL -> {
          min = Math.min(min, scores[i]);
          max = Math.max(max, scores[i]);
        }
        case BYTE -> throw new SentencePieceFormatException("the model uses byte fallback, which is not supported");
        default -> { }
      }
      totalBytes += pieces[i].length() * 3;
    }
    if (unk < 0) {
      throw new SentencePieceFormatException("the model has no unknown piece");
    }
    this.unknownId = unk;
    this.unknownScore = min - UNKNOWN_PENALTY;
    this.maxScore = max;
    this.trie = new Trie(totalBytes);
    for (int i = 0; i < pieces.length; i++) {
      if (types[i] == Type.NORMAL || types[i] == Type.USER_DEFINED || types[i] == Type.UNUSED) {
        addFirst(trie, pieces[i], i);
      }
    }
  }

  /**
   * Reads a model file.
   *
   * @throws IOException when the file cannot be read
   * @throws SentencePieceFormatException when it is not a usable SentencePiece unigram model
   */
  public static SentencePieceModel load(Path file) throws IOException, SentencePieceFormatException {
    long size = Files.size(file);
    if (size > MAX_FILE_SIZE) {
      throw new SentencePieceFormatException(file + " is " + size + " bytes; a SentencePiece model is at most "
          + MAX_FILE_SIZE + " bytes, so this is not one");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_FILE_SIZE + 1);
    }
    try {
      return parse(bytes);
    } catch (SentencePieceFormatException e) {
      throw new SentencePieceFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a model from the bytes of a {@code ModelProto}. */
  public static SentencePieceModel parse(byte[] bytes) throws SentencePieceFormatException {
    if (bytes.length > MAX_FILE_SIZE) {
      throw new SentencePieceFormatException("the data is " + bytes.length + " bytes; a SentencePiece model is at most "
          + MAX_FILE_SIZE + " bytes");
    }
    ProtoReader model = new ProtoReader(bytes, 0, bytes.length, "the SentencePiece model");
    List<String> pieces = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    List<Type> types = new ArrayList<>();
    Optional<byte[]> charsmap = Optional.empty();
    boolean addDummyPrefix = true;
    boolean removeExtraWhitespaces = true;
    boolean escapeWhitespaces = true;
    String unknownSurface = DEFAULT_UNKNOWN_SURFACE;
    while (!model.atEnd()) {
      int tag = model.tag();
      int field = tag >>> 3;
      int wire = tag & 7;
      if (field == 1 && wire == ProtoReader.LENGTH_DELIMITED) {
        ProtoReader p = model.message("a piece of the SentencePiece model");
        String piece = "";
        float score = 0;
        Type type = Type.NORMAL;
        while (!p.atEnd()) {
          int t = p.tag();
          switch (t) {
            case (1 << 3) | ProtoReader.LENGTH_DELIMITED -> piece = p.string();
            case (2 << 3) | ProtoReader.FIXED32 -> score = p.fixed32Float();
            case (3 << 3) | ProtoReader.VARINT -> type = Type.of(p.varint());
            default -> p.skip(t & 7);
          }
        }
        pieces.add(piece);
        scores.add(score);
        types.add(type);
      } else if (field == 2 && wire == ProtoReader.LENGTH_DELIMITED) {
        ProtoReader trainer = model.message("the trainer spec of the SentencePiece model");
        while (!trainer.atEnd()) {
          int t = trainer.tag();
          switch (t) {
            case (3 << 3) | ProtoReader.VARINT -> {
              long type = trainer.varint();
              if (type != 1) {
                throw new SentencePieceFormatException("the model is of type " + modelTypeName(type)
                    + "; only unigram models are supported");
              }
            }
            case (24 << 3) | ProtoReader.VARINT -> {
              if (trainer.varint() != 0) {
                throw new SentencePieceFormatException("the model treats whitespace as a suffix, which is not supported");
              }
            }
            case (35 << 3) | ProtoReader.VARINT -> {
              if (trainer.varint() != 0) {
                throw new SentencePieceFormatException("the model uses byte fallback, which is not supported");
              }
            }
            case (44 << 3) | ProtoReader.LENGTH_DELIMITED -> unknownSurface = trainer.string();
            default -> trainer.skip(t & 7);
          }
        }
      } else if (field == 3 && wire == ProtoReader.LENGTH_DELIMITED) {
        ProtoReader normalizer = model.message("the normaliser spec of the SentencePiece model");
        while (!normalizer.atEnd()) {
          int t = normalizer.tag();
          switch (t) {
            case (2 << 3) | ProtoReader.LENGTH_DELIMITED -> {
              byte[] map = normalizer.bytes();
              charsmap = map.length == 0 ? Optional.empty() : Optional.of(map);
            }
            case (3 << 3) | ProtoReader.VARINT -> addDummyPrefix = normalizer.varint() != 0;
            case (4 << 3) | ProtoReader.VARINT -> removeExtraWhitespaces = normalizer.varint() != 0;
            case (5 << 3) | ProtoReader.VARINT -> escapeWhitespaces = normalizer.varint() != 0;
            default -> normalizer.skip(t & 7);
          }
        }
      } else {
        model.skip(wire);
      }
    }
    if (pieces.isEmpty()) {
      throw new SentencePieceFormatException("the data has no pieces, so it is not a SentencePiece model");
    }
    float[] scoreArray = new float[scores.size()];
    for (int i = 0; i < scoreArray.length; i++) {
      scoreArray[i] = scores.get(i);
    }
    Optional<CharsMap> map = charsmap.isPresent() ? Optional.of(CharsMap.parse(charsmap.get())) : Optional.empty();
    Trie userDefined = new Trie(0);
    for (int i = 0; i < pieces.size(); i++) {
      if (types.get(i) == Type.USER_DEFINED) {
        addFirst(userDefined, pieces.get(i), i);
      }
    }
    Normalizer normalizer = new Normalizer(map, userDefined, addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces);
    return new SentencePieceModel(pieces.toArray(String[]::new), scoreArray, types.toArray(Type[]::new), normalizer,
        unknownSurface);
  }

  /** Adds a piece by its UTF-8 bytes; the first id given for the same bytes is kept, as SentencePiece does. */
  private static void addFirst(Trie trie, String piece, int id) {
    int node = trie.add(piece.getBytes(StandardCharsets.UTF_8));
    if (trie.value(node) < 0) {
      trie.setValue(node, id);
    }
  }

  private static String modelTypeName(long type) {
    return switch ((int) type) {
      case 2 -> "BPE";
      case 3 -> "word";
      case 4 -> "char";
      default -> "#" + type;
    };
  }

  /** The number of pieces, which is one more than the largest id. */
  public int size() {
    return pieces.length;
  }

  public int unknownId() {
    return unknownId;
  }

  /** The piece with this id. */
  public String piece(int id) {
    if (id < 0 || id >= pieces.length) {
      throw new IllegalArgumentException("piece id " + id + " is outside 0.." + (pieces.length - 1));
    }
    return pieces[id];
  }

  /** The id of a piece, or the unknown id when the model has no such piece. */
  public int id(String piece) {
    return ids.getOrDefault(piece, unknownId);
  }

  /** The text as the model normalises it, with spaces written as "▁". */
  public String normalize(String text) {
    return new String(normalizer.normalize(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /** The pieces of the text. Runs of unknown characters become one piece with the unknown id. */
  public List<String> encodeToPieces(String text) {
    List<String> out = new ArrayList<>();
    encode(text, (piece, id) -> out.add(piece));
    return out;
  }

  /** The piece ids of the text. */
  public int[] encodeToIds(String text) {
    List<Integer> out = new ArrayList<>();
    encode(text, (piece, id) -> out.add(id));
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private interface Sink {
    void accept(String piece, int id);
  }

  private void encode(String text, Sink sink) {
    byte[] normalized = normalizer.normalize(text.getBytes(StandardCharsets.UTF_8));
    int size = normalized.length;
    // best[end]: the best segmentation of normalized[0, end) ends with a piece [start[end], end) of id[end].
    float[] best = new float[size + 1];
    int[] start = new int[size + 1];
    int[] id = new int[size + 1];
    Arrays.fill(start, -1);
    int from = 0;
    while (from < size) {
      float tillHere = best[from];
      int charLength = Math.min(Utf8.charLength(normalized[from]), size - from);
      boolean hasSingleChar = false;
      int node = 0;
      for (int end = from; end < size; end++) {
        node = trie.child(node, normalized[end]);
        if (node < 0) {
          break;
        }
        int piece = trie.value(node);
        if (piece < 0 || types[piece] == Type.UNUSED) {
          continue;
        }
        int length = end + 1 - from;
        // The native library computes this sum in double and stores it as float; ties keep the first.
        double score = types[piece] == Type.USER_DEFINED ? (double) (length * maxScore) - 0.1 : scores[piece];
        double candidate = score + tillHere;
        if (start[end + 1] == -1 || candidate > best[end + 1]) {
          best[end + 1] = (float) candidate;
          start[end + 1] = from;
          id[end + 1] = piece;
        }
        if (length == charLength) {
          hasSingleChar = true;
        }
      }
      if (!hasSingleChar) {
        int end = from + charLength;
        float candidate = unknownScore + tillHere;
        if (start[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          start[end] = from;
          id[end] = unknownId;
        }
      }
      from += charLength;
    }
    List<int[]> path = new ArrayList<>();
    for (int end = size; end > 0; end = start[end]) {
      path.add(new int[] {start[end], end, id[end]});
    }
    StringBuilder unknownRun = new StringBuilder();
    for (int i = path.size() - 1; i >= 0; i--) {
      int[] step = path.get(i);
      String piece = new String(normalized, step[0], step[1] - step[0], StandardCharsets.UTF_8);
      if (step[2] == unknownId) {
        unknownRun.append(piece);
        continue;
      }
      if (!unknownRun.isEmpty()) {
        sink.accept(unknownRun.toString(), unknownId);
        unknownRun.setLength(0);
      }
      sink.accept(piece, step[2]);
    }
    if (!unknownRun.isEmpty()) {
      sink.accept(unknownRun.toString(), unknownId);
    }
  }

  /** The text of piece ids: control pieces vanish, the unknown piece reads " ⁇ ", "▁" becomes a space. */
  public String decodeIds(int[] pieceIds) {
    List<String> list = new ArrayList<>(pieceIds.length);
    for (int i : pieceIds) {
      list.add(piece(i));
    }
    return decodePieces(list);
  }

  /**
   * The text of pieces. A piece the model does not know is copied as it is; the first space of the
   * text is dropped when the model adds a dummy prefix or removes extra whitespace.
   */
  public String decodePieces(List<String> pieceList) {
    StringBuilder text = new StringBuilder();
    boolean stripLeadingSpace = normalizer.addsDummyPrefix() || normalizer.removesExtraWhitespaces();
    for (String piece : pieceList) {
      int pid = id(piece);
      if (types[pid] == Type.CONTROL) {
        continue;
      }
      if (pid == unknownId) {
        text.append(piece.equals(pieces[unknownId]) ? unknownSurface : piece);
        continue;
      }
      String p = piece;
      if (text.isEmpty() && stripLeadingSpace && p.startsWith(SPACE)) {
        p = p.substring(SPACE.length());
      }
      text.append(p.replace(SPACE, " "));
    }
    return text.toString();
  }
}
