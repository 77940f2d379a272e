package soko.testkit.corpus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The WAV cases of the corpus that are made at test time ({@code generated:NAME} in cases.tsv):
 * too large to commit, or not regular files at all.
 */
public final class GeneratedWavs {
  private GeneratedWavs() {}

  /**
   * Makes the case in {@code folder}; empty when this machine cannot (no {@code mkfifo}, no
   * symbolic links, no {@code /dev/zero}), which the caller reports as a skip.
   */
  public static Optional<Path> make(Corpus.Case c, Path folder) {
    String name = c.file().substring("generated:".length());
    Path file = folder.resolve(name);
    try {
      switch (name) {
        case "longer-than-two-hours.wav" -> {
          // 2 h 1 min of 8 kHz 8-bit mono silence: 58 MB.
          long frames = (2 * 3600 + 60) * 8_000L;
          try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header(1, 8_000, 8, frames));
            byte[] block = new byte[1 << 16];
            Arrays.fill(block, (byte) 0x80);
            for (long left = frames; left > 0; left -= block.length) {
              out.write(block, 0, (int) Math.min(block.length, left));
            }
          }
        }
        case "larger-than-two-gibibytes.wav" -> {
          // A valid header, then a hole: 2 GiB + 1 byte that take no disk space where holes exist.
          try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(header(1, 16_000, 16, ((2L << 30) - 44) / 2));
            raf.setLength((2L << 30) + 1);
          }
        }
        case "a-fifo.wav" -> {
          if (new ProcessBuilder("mkfifo", file.toString()).start().waitFor() != 0) {
            return Optional.empty();
          }
        }
        case "a-folder.wav" -> Files.createDirectory(file);
        case "missing.wav" -> {
          // nothing there
        }
        case "link-to-dev-zero.wav" -> {
          if (!Files.exists(Path.of("/dev/zero"))) {
            return Optional.empty();
          }
          Files.createSymbolicLink(file, Path.of("/dev/zero"));
        }
        case "link-to-a-valid-file.wav" -> {
          Corpus.Case valid = Corpus.wavs().getFirst();
          Path target = Files.write(folder.resolve("target-" + valid.file()), valid.bytes());
          Files.createSymbolicLink(file, target);
        }
        default -> throw new IllegalArgumentException("no generator for " + c);
      }
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /** A canonical 44-byte PCM header for {@code frames} frames. */
  static byte[] header(int channels, int rate, int bits, long frames) {
    int align = channels * bits / 8;
    long data = frames * align;
    ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) Math.min(0xFFFFFFFFL, 36 + data))
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(rate).putInt(rate * align).putShort((short) align).putShort((short) bits)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) data);
    return b.array();
  }
}
