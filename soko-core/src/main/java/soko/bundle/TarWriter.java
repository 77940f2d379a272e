package soko.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a POSIX ustar archive, deterministically: every header has mode 0644 (folders 0755),
 * uid and gid 0, no user or group names, mtime 0, so the same entries in the same order give the
 * same bytes. Names are at most 100 bytes (a bundle's longest is {@code blobs/sha256/} and 64 hex
 * digits). Sizes of 8 GiB and more use the base-256 size encoding that GNU tar, Go and libarchive
 * read. Not thread-safe; does not close the channel.
 */
final class TarWriter {
  static final int BLOCK = 512;
  private static final long OCTAL_LIMIT = 077777777777L; // 11 octal digits

  private final FileChannel out;
  private long written;

  TarWriter(FileChannel out) {
    this.out = out;
  }

  /** Bytes written so far. */
  long written() {
    return written;
  }

  void directory(String name) throws IOException {
    write(ByteBuffer.wrap(header(name.endsWith("/") ? name : name + "/", 0, '5', 0755)));
  }

  void file(String name, byte[] content) throws IOException {
    write(ByteBuffer.wrap(header(name, content.length, '0', 0644)));
    write(ByteBuffer.wrap(content));
    pad(content.length);
  }

  /**
   * Adds {@code source}, which must hold exactly {@code size} bytes, copied by the kernel where it
   * can ({@link FileChannel#transferTo}).
   *
   * @throws IOException when the file is shorter or longer than {@code size}
   */
  void file(String name, Path source, long size) throws IOException {
    write(ByteBuffer.wrap(header(name, size, '0', 0644)));
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      long pos = 0;
      while (pos < size) {
        long n = in.transferTo(pos, size - pos, out);
        if (n <= 0) {
          if (in.size() < size) {
            throw new IOException(source + " has " + in.size() + " bytes, expected " + size + "; it changed since it was verified");
          }
          continue;
        }
        pos += n;
      }
      if (in.size() != size) {
        throw new IOException(source + " has " + in.size() + " bytes, expected " + size + "; it changed since it was verified");
      }
    }
    written += size;
    pad(size);
  }

  /** Ends the archive with two zero blocks. */
  void finish() throws IOException {
    write(ByteBuffer.allocate(2 * BLOCK));
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      write(ByteBuffer.allocate(BLOCK - rest));
    }
  }

  private void write(ByteBuffer buf) throws IOException {
    written += buf.remaining();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }

  static byte[] header(String name, long size, char type, int mode) {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 100) {
      throw new IllegalArgumentException("tar name over 100 bytes: " + name);
    }
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size <= OCTAL_LIMIT) {
      octal(h, 124, 12, size);
    } else {
      h[124] = (byte) 0x80; // base-256: the remaining 11 bytes hold the size, big-endian
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    }
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    octal(h, 329, 8, 0);
    octal(h, 337, 8, 0);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String s = String.format("%06o", sum);
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  /** {@code width - 1} zero-padded octal digits and a NUL. */
  private static void octal(byte[] h, int offset, int width, long value) {
    String s = Long.toOctalString(value);
    String padded = "0".repeat(width - 1 - s.length()) + s;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, offset, width - 1);
    h[offset + width - 1] = 0;
  }
}
