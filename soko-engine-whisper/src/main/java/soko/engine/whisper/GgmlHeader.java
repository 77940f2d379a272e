package soko.engine.whisper;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The front of a whisper.cpp ggml model file: magic, hyper-parameters, mel filters and vocabulary,
 * read and checked in Java before any native code sees the file. whisper.cpp trusts these numbers
 * to size its buffers, so a damaged or foreign file aborts the process that loads it; this check
 * turns that into an error message. (The main guard is the store's sha256 check.)
 *
 * <p>Layout (little-endian 32-bit integers): magic {@value #MAGIC_HEX}; eleven hyper-parameters;
 * {@code n_mel}, {@code n_fft} and {@code n_mel * n_fft} float32 mel filters; a token count and
 * that many (uint32 length, UTF-8 bytes) tokens, among which must be a single space; then
 * tensors, which are not checked here.
 *
 * @param tensorsOffset where the tensor records start; equal to {@code fileSize} for a model with
 *     no tensors, which whisper.cpp runs as an empty test model
 */
record GgmlHeader(
    int nVocab, int nAudioCtx, int nAudioState, int nAudioHead, int nAudioLayer,
    int nTextCtx, int nTextState, int nTextHead, int nTextLayer, int nMels, int ftype,
    int filterBands, int filterBins, int storedTokens, long tensorsOffset, long fileSize) {

  static final int MAGIC = 0x67676d6c;
  static final String MAGIC_HEX = "0x67676d6c";
  static final int HPARAMS_BYTES = 4 * 11;
  static final int FILTERS_OFFSET = 4 + HPARAMS_BYTES + 8;
  /** ggml encodes the quantisation version as ftype / 1000. */
  static final int QUANTISATION_VERSION_FACTOR = 1000;
  // Bounds well beyond every published whisper model, yet small enough that a buffer sized from
  // them cannot exhaust memory.
  private static final int MAX_VOCAB = 1 << 20;
  private static final int MAX_CTX = 1 << 16;
  private static final int MAX_STATE = 1 << 14;
  private static final int MAX_LAYERS = 1 << 10;
  private static final int MAX_MELS = 1 << 10;
  private static final int MAX_FFT_BINS = 1 << 14;
  private static final int MAX_TOKEN_BYTES = 1 << 12;
  private static final int MAX_FTYPE = 64;
  private static final int MAX_QUANTISATION_VERSION = 16;

  /** Whether the file has no tensors, which whisper.cpp treats as an empty model for testing. */
  boolean empty() {
    return tensorsOffset == fileSize;
  }

  /**
   * Reads and checks the file's header, filters and vocabulary.
   *
   * @throws GgmlFormatException when the file is not a whisper.cpp ggml model; the message says why
   *     in one line, without the file name
   * @throws IOException when the file cannot be read
   */
  static GgmlHeader read(Path file) throws IOException, GgmlFormatException {
    long size = Files.size(file);
    try (InputStream raw = Files.newInputStream(file)) {
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
      if (ftype < 0 || ftype % QUANTISATION_VERSION_FACTOR > MAX_FTYPE
          || ftype / QUANTISATION_VERSION_FACTOR > MAX_QUANTISATION_VERSION) {
        throw new GgmlFormatException("its weight type (ftype) " + ftype + " is not a ggml weight type");
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
      return new GgmlHeader(nVocab, nAudioCtx, nAudioState, nAudioHead, nAudioLayer, nTextCtx, nTextState,
          nTextHead, nTextLayer, nMels, ftype, bands, bins, tokens, in.position, size);
    }
  }

  private static void inRange(String name, int value, int max) throws GgmlFormatException {
    if (value < 1 || value > max) {
      throw new GgmlFormatException("its " + name + " is " + value + ", outside 1.." + max);
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
