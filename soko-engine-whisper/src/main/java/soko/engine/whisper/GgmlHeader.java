package soko.engine.whisper;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A whisper.cpp ggml model file as Java reads it before any native code sees it: magic,
 * hyper-parameters, mel filters, vocabulary and every tensor record (name, shape, type; the data is
 * skipped). whisper.cpp trusts these numbers to size its buffers, so a damaged or foreign file aborts
 * the process that loads it; this check turns that into an error message. (The main guard is the
 * store's sha256 check; {@link GgmlExpectation} then compares the header with the manifest.)
 *
 * <p>Layout (little-endian 32-bit integers): magic {@value #MAGIC_HEX}; eleven hyper-parameters
 * ({@code n_vocab n_audio_ctx n_audio_state n_audio_head n_audio_layer n_text_ctx n_text_state
 * n_text_head n_text_layer n_mels ftype}); {@code n_mel}, {@code n_fft} and {@code n_mel * n_fft}
 * float32 mel filters; a token count and that many (uint32 length, UTF-8 bytes) tokens, among which
 * must be a single space; then tensor records to the end of the file, each {@code n_dims}, name
 * length, type, {@code n_dims} sizes ({@code ne[0]} first), the name and the data.
 *
 * <p>Variants it knows: float32/float16 and quantised weights ({@link WeightType}: {@code ftype %
 * 1000}, with the quantisation version as {@code ftype / 1000}); the 128-mel, 51866-token large-v3
 * family; and distilled decoders with fewer layers than the encoder (Kotoba-Whisper: 2,
 * large-v3-turbo: 4). Every tensor must be one whisper.cpp creates for these hyper-parameters
 * ({@link GgmlLayout}), with its shape and type, and the file must hold all of them, or none (an
 * empty test model).
 *
 * @param weightType the weight type {@code ftype} names
 * @param quantisationVersion {@code ftype / 1000}: 0 for float files, ggml's format version for quantised ones
 * @param tensorsOffset where the tensor records start; equal to {@code fileSize} for a model with
 *     no tensors, which whisper.cpp runs as an empty test model
 * @param tensorCount how many tensor records the file holds: 0, or all the layout has
 * @param tensorTypes how many tensors the file stores in each type
 */
record GgmlHeader(
    int nVocab, int nAudioCtx, int nAudioState, int nAudioHead, int nAudioLayer,
    int nTextCtx, int nTextState, int nTextHead, int nTextLayer, int nMels, int ftype,
    int filterBands, int filterBins, int storedTokens, long tensorsOffset, long fileSize,
    WeightType weightType, int quantisationVersion, int tensorCount, Map<GgmlType, Integer> tensorTypes) {

  static final int MAGIC = 0x67676d6c;
  static final String MAGIC_HEX = "0x67676d6c";
  static final int HPARAMS_BYTES = 4 * 11;
  static final int FILTERS_OFFSET = 4 + HPARAMS_BYTES + 8;
  /** ggml encodes the quantisation version as ftype / 1000. */
  static final int QUANTISATION_VERSION_FACTOR = 1000;
  /** The vocabulary size of the large-v3 family (one more language than earlier models). */
  static final int LARGE_V3_VOCABULARY = 51_866;
  // Bounds well beyond every published whisper model, yet small enough that a buffer sized from
  // them cannot exhaust memory.
  private static final int MAX_VOCAB = 1 << 20;
  /** English-only models have 51864 tokens, multilingual ones 51865, large-v3 51866. */
  static final int MIN_VOCAB = 51_864;
  private static final int MAX_CTX = 1 << 16;
  private static final int MAX_STATE = 1 << 14;
  private static final int MAX_LAYERS = 1 << 10;
  private static final int MAX_MELS = 1 << 10;
  private static final int MAX_FFT_BINS = 1 << 14;
  private static final int MAX_TOKEN_BYTES = 1 << 12;
  private static final int MAX_QUANTISATION_VERSION = 16;
  private static final int MAX_TENSOR_NAME_BYTES = 256;

  GgmlHeader {
    tensorTypes = Map.copyOf(tensorTypes);
  }

  /** Whether the file has no tensors, which whisper.cpp treats as an empty model for testing. */
  boolean empty() {
    return tensorsOffset == fileSize;
  }

  /**
   * The model family whisper.cpp would name from the encoder depth: tiny, base, small, medium or
   * large (large-v3 with the 51866-token vocabulary), or "a custom" shape.
   */
  String family() {
    return switch (nAudioLayer) {
      case 4 -> "tiny";
      case 6 -> "base";
      case 12 -> "small";
      case 24 -> "medium";
      case 32 -> nVocab == LARGE_V3_VOCABULARY ? "large-v3" : "large";
      default -> "custom";
    };
  }

  /** Whether the decoder has fewer layers than the encoder, as in distilled models. */
  boolean distilledDecoder() {
    return nTextLayer < nAudioLayer;
  }

  /** One line for messages, such as "large-v3 shape with a 2-layer decoder (n_audio_layer 32, …), q5_0 weights". */
  String describe() {
    return family() + " shape" + (distilledDecoder() ? " with a " + nTextLayer + "-layer decoder" : "")
        + " (n_audio_layer " + nAudioLayer + ", n_text_layer " + nTextLayer + ", n_audio_state " + nAudioState
        + ", n_mels " + nMels + ", n_vocab " + nVocab + "), " + weightType.label() + " weights";
  }

  /**
   * Reads and checks the file's header, filters, vocabulary and tensor records.
   *
   * @throws GgmlFormatException when the file is not a whisper.cpp ggml model; the message says why
   *     in one line, without the file name
   * @throws IOException when the file cannot be read
   */
  static GgmlHeader read(Path file) throws IOException, GgmlFormatException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      InputStream raw = Channels.newInputStream(ch);
      Reader in = new Reader(new BufferedInputStream(raw, 1 << 16), size);
      if (size < 4) {
        throw new GgmlFormatException("it is only " + size + " bytes long");
      }
      int magic = in.int32("the magic number");
      if (magic != MAGIC) {
        throw new GgmlFormatException("it does not start with the ggml magic number " + MAGIC_HEX
            + " (found 0x" + String.format("%08x", magic) + ")");
      }
      in.require(HPARAMS_BYTES, "the hyper-parameters");
      int[] h = new int[11];
      for (int i = 0; i < h.length; i++) {
        h[i] = in.int32("the hyper-parameters");
      }
      int nVocab = h[0];
      int nAudioCtx = h[1];
      int nAudioState = h[2];
      int nAudioHead = h[3];
      int nAudioLayer = h[4];
      int nTextCtx = h[5];
      int nTextState = h[6];
      int nTextHead = h[7];
      int nTextLayer = h[8];
      int nMels = h[9];
      int ftype = h[10];
      inRange("n_vocab", nVocab, MAX_VOCAB);
      inRange("n_audio_ctx", nAudioCtx, MAX_CTX);
      inRange("n_audio_state", nAudioState, MAX_STATE);
      inRange("n_audio_head", nAudioHead, nAudioState);
      inRange("n_audio_layer", nAudioLayer, MAX_LAYERS);
      inRange("n_text_ctx", nTextCtx, MAX_CTX);
      inRange("n_text_state", nTextState, MAX_STATE);
      inRange("n_text_head", nTextHead, nTextState);
      inRange("n_text_layer", nTextLayer, MAX_LAYERS);
      inRange("n_mels", nMels, MAX_MELS);
      if (nTextState != nAudioState) {
        throw new GgmlFormatException("its n_text_state " + nTextState + " differs from its n_audio_state " + nAudioState);
      }
      if (nAudioState % nAudioHead != 0 || nTextState % nTextHead != 0) {
        throw new GgmlFormatException("its state width is not a multiple of its attention head count");
      }
      int quantisationVersion = ftype / QUANTISATION_VERSION_FACTOR;
      WeightType weightType = (ftype < 0 || quantisationVersion > MAX_QUANTISATION_VERSION ? Optional.<WeightType>empty()
          : WeightType.ofCode(ftype % QUANTISATION_VERSION_FACTOR)).orElseThrow(() -> new GgmlFormatException(
              "its weight type (ftype) " + ftype + " is not a ggml weight type whisper.cpp reads"));
      if (nVocab < MIN_VOCAB) {
        // whisper.cpp's special and timestamp token ids reach 51863; a shorter vocabulary makes it write past its logits.
        throw new GgmlFormatException("its n_vocab is " + nVocab + ", but whisper.cpp's special and timestamp tokens need"
            + " at least " + MIN_VOCAB);
      }
      if (nAudioState % weightType.matrices.blockElements != 0) {
        // ggml stores each row of a quantised matrix in whole blocks; whisper.cpp would abort creating them.
        throw new GgmlFormatException("its " + weightType.label() + " weights come in blocks of "
            + weightType.matrices.blockElements + ", which do not divide its width (n_audio_state) " + nAudioState);
      }
      in.require(8, "the mel filter size");
      int bands = in.int32("the mel filter size");
      int bins = in.int32("the mel filter size");
      if (bands != nMels) {
        throw new GgmlFormatException("it has " + bands + " mel filters for " + nMels + " mel bands");
      }
      inRange("mel filter n_fft", bins, MAX_FFT_BINS);
      in.skip(4L * bands * bins, "the mel filters");
      int tokens = in.int32("the vocabulary size");
      if (tokens < 0 || tokens > nVocab) {
        throw new GgmlFormatException("it stores " + tokens + " vocabulary tokens, outside 0.." + nVocab);
      }
      boolean hasSpace = false;
      for (int i = 0; i < tokens; i++) {
        int length = in.int32("the vocabulary");
        if (length < 0 || length > MAX_TOKEN_BYTES) {
          throw new GgmlFormatException("vocabulary token " + i + " claims " + Integer.toUnsignedString(length)
              + " bytes; at most " + MAX_TOKEN_BYTES + " are allowed");
        }
        if (length == 1) {
          in.require(1, "the vocabulary");
          hasSpace |= in.int8() == ' ';
        } else {
          in.skip(length, "the vocabulary");
        }
      }
      if (!hasSpace) {
        // whisper.cpp looks this token up unchecked to suppress blank output, and aborts without it.
        throw new GgmlFormatException("its vocabulary has no single-space token, without which whisper.cpp aborts");
      }
      long tensorsOffset = in.position;
      GgmlHeader header = new GgmlHeader(nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState,
          nTextHead, nTextLayer, nMels, ftype, bands, bins, tokens, tensorsOffset, size, weightType, quantisationVersion,
          0, Map.of());
      return header.withTensors(new Tensors(ch, size).scan(header));
    }
  }

  private GgmlHeader withTensors(Map<GgmlType, Integer> types) {
    int count = types.values().stream().mapToInt(Integer::intValue).sum();
    return new GgmlHeader(nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState, nTextHead,
        nTextLayer, nMels, ftype, filterBands, filterBins, storedTokens, tensorsOffset, fileSize, weightType,
        quantisationVersion, count, types);
  }

  private static void inRange(String name, int value, int max) throws GgmlFormatException {
    if (value < 1 || value > max) {
      throw new GgmlFormatException("its " + name + " is " + value + ", outside 1.." + max);
    }
  }

  /** Walks the tensor records with positional reads, skipping the data. */
  private static final class Tensors {
    private final FileChannel ch;
    private final long size;

    Tensors(FileChannel ch, long size) {
      this.ch = ch;
      this.size = size;
    }

    Map<GgmlType, Integer> scan(GgmlHeader h) throws IOException, GgmlFormatException {
      Map<GgmlType, Integer> types = new EnumMap<>(GgmlType.class);
      if (h.tensorsOffset == size) {
        return types;
      }
      GgmlLayout layout = GgmlLayout.of(h);
      Set<String> seen = new HashSet<>();
      long at = h.tensorsOffset;
      int index = 0;
      while (at < size) {
        ByteBuffer head = read(at, 12, "the record of tensor #" + index);
        int nDims = head.getInt();
        int nameLength = head.getInt();
        int typeId = head.getInt();
        if (nDims < 1 || nDims > 4) {
          throw new GgmlFormatException("tensor #" + index + " claims " + nDims + " dimensions, outside 1..4");
        }
        if (nameLength < 1 || nameLength > MAX_TENSOR_NAME_BYTES) {
          throw new GgmlFormatException("tensor #" + index + " claims a name of " + Integer.toUnsignedString(nameLength)
              + " bytes, outside 1.." + MAX_TENSOR_NAME_BYTES);
        }
        ByteBuffer rest = read(at + 12, 4L * nDims + nameLength, "the record of tensor #" + index);
        int[] dims = new int[nDims];
        for (int i = 0; i < nDims; i++) {
          dims[i] = rest.getInt();
        }
        byte[] nameBytes = new byte[nameLength];
        rest.get(nameBytes);
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        GgmlLayout.Tensor expected = Optional.ofNullable(layout.tensors().get(name)).orElseThrow(() ->
            new GgmlFormatException("it has a tensor \"" + printable(name) + "\" that a model of " + h.family()
                + " shape with " + h.nTextLayer + " decoder layers does not have"));
        if (!seen.add(name)) {
          throw new GgmlFormatException("tensor \"" + name + "\" appears twice");
        }
        if (!expected.dims().equals(Arrays.stream(dims).boxed().toList())) {
          throw new GgmlFormatException("tensor \"" + name + "\" has shape " + Arrays.toString(dims)
              + " where its header's hyper-parameters call for " + expected.dims());
        }
        GgmlType type = GgmlType.of(typeId).orElseThrow(() -> new GgmlFormatException("tensor \"" + name
            + "\" has type " + typeId + ", which is no ggml type whisper.cpp reads"));
        if (type != expected.type()) {
          throw new GgmlFormatException("tensor \"" + name + "\" is stored as " + type.label() + " where a model with "
              + h.weightType.label() + " weights stores " + expected.type().label());
        }
        long data = type.bytes(expected.elements());
        if (dims[0] % type.blockElements != 0 || data < 0) {
          throw new GgmlFormatException("tensor \"" + name + "\" has rows of " + dims[0] + " values, which do not fill"
              + " whole " + type.label() + " blocks of " + type.blockElements);
        }
        long dataStart = at + 12 + 4L * nDims + nameLength;
        if (size - dataStart < data) {
          throw new GgmlFormatException("it ends at byte " + size + ", inside the data of tensor \"" + name
              + "\" (which need " + (dataStart + data) + " bytes); the file is cut short");
        }
        types.merge(type, 1, Integer::sum);
        at = dataStart + data;
        index++;
      }
      if (seen.size() != layout.tensors().size()) {
        String missing = layout.tensors().keySet().stream().filter(n -> !seen.contains(n)).findFirst().orElseThrow();
        throw new GgmlFormatException("it holds " + seen.size() + " of the " + layout.tensors().size()
            + " tensors its hyper-parameters call for (\"" + missing + "\" is missing); the file is incomplete");
      }
      return types;
    }

    private ByteBuffer read(long at, long n, String part) throws IOException, GgmlFormatException {
      if (size - at < n) {
        throw new GgmlFormatException("it ends at byte " + size + ", inside " + part + " (which need " + (at + n)
            + " bytes); the file is cut short");
      }
      ByteBuffer b = ByteBuffer.allocate((int) n).order(ByteOrder.LITTLE_ENDIAN);
      long pos = at;
      while (b.hasRemaining()) {
        int r = ch.read(b, pos);
        if (r < 0) {
          throw new EOFException("the file shrank while being read");
        }
        pos += r;
      }
      return b.flip();
    }

    /** Keeps a hostile name from breaking the one-line message. */
    private static String printable(String name) {
      String s = name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
      return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
  }

  /** A little-endian reader that knows the file size, so it can say where the file ends too early. */
  private static final class Reader {
    private final InputStream in;
    private final long size;
    long position;

    Reader(InputStream in, long size) {
      this.in = in;
      this.size = size;
    }

    int int32(String part) throws IOException, GgmlFormatException {
      need(4, part);
      int b0 = in.read();
      int b1 = in.read();
      int b2 = in.read();
      int b3 = in.read();
      if ((b0 | b1 | b2 | b3) < 0) {
        throw new EOFException("the file shrank while being read");
      }
      position += 4;
      return b0 | b1 << 8 | b2 << 16 | b3 << 24;
    }

    int int8() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the file shrank while being read");
      }
      position++;
      return b;
    }

    void skip(long n, String part) throws IOException, GgmlFormatException {
      need(n, part);
      in.skipNBytes(n);
      position += n;
    }

    /** Fails unless {@code n} more bytes follow. */
    void require(long n, String part) throws GgmlFormatException {
      need(n, part);
    }

    private void need(long n, String part) throws GgmlFormatException {
      if (size - position < n) {
        throw new GgmlFormatException("it ends at byte " + size + ", inside " + part
            + " (which need " + (position + n) + " bytes); the file is cut short");
      }
    }
  }
}
