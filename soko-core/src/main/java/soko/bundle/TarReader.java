package soko.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a ustar archive as a stream, one entry at a time, and refuses anything a bundle never
 * holds before its content is read: entries that are not plain files or folders (hard and symbolic
 * links, devices, FIFOs, pax and GNU extension headers), names that are not strict UTF-8, hold
 * control characters or backslashes, are absolute or contain {@code .} or {@code ..} segments,
 * sizes beyond the bytes left in the file, bad header checksums, a compressed file, and an archive
 * that ends without its end marker or has data after it. A leading {@code ./} is dropped (GNU tar
 * writes it for {@code tar -C DIR -cf FILE .}).
 *
 * <p>Each message is one line that starts with the file's label. Not thread-safe; does not close
 * the stream.
 */
final class TarReader {
  static final int BLOCK = TarWriter.BLOCK;

  /** An entry's kind: only these two are ever returned. */
  enum Kind { FILE, DIRECTORY }

  /** One entry; {@code name} is normalised (no leading {@code ./}, no trailing {@code /}). */
  record Entry(String name, Kind kind, long size, long offset) {}

  private final InputStream in;
  private final long length;
  private final String label;
  private long position;
  private long remaining;
  private long padding;
  private Optional<Entry> current = Optional.empty();
  private boolean ended;

  /**
   * @param length the file's length in bytes: sizes are checked against what is left of it
   * @param label names the file in messages
   */
  TarReader(InputStream in, long length, String label) {
    this.in = in;
    this.length = length;
    this.label = label;
  }

  /** Bytes consumed so far. */
  long position() {
    return position;
  }

  /**
   * The next entry, skipping what is left of the current one; empty at the end marker, after which
   * the rest of the file has been checked to be zeros.
   */
  Optional<Entry> next() throws BundleException, IOException {
    if (ended) {
      return Optional.empty();
    }
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    long at = position;
    byte[] h = readBlock(at);
    if (at == 0) {
      refuseCompressed(h);
    }
    if (allZero(h)) {
      byte[] second = readBlock(position);
      if (!allZero(second)) {
        throw fail("has a lone zero block at byte " + at + " followed by data; the archive is damaged");
      }
      ended = true;
      trailer();
      current = Optional.empty();
      return Optional.empty();
    }
    checksum(h, at);
    String magic = new String(h, 257, 8, StandardCharsets.ISO_8859_1);
    if (!magic.equals("ustar\u000000") && !magic.equals("ustar  \u0000")) {
      throw fail("entry at byte " + at + " is not a ustar header (an old or unknown tar format); write the bundle with"
          + " `soko bundle export`");
    }
    String name = name(h, at);
    char type = (char) (h[156] & 0xff);
    String link = cString(h, 157, 100);
    Kind kind = switch (type) {
      case '0', '\0' -> Kind.FILE;
      case '5' -> Kind.DIRECTORY;
      case '1' -> throw fail("entry \"" + Names.shown(name) + "\" is a hard link (to \"" + Names.shown(link)
          + "\"); a bundle holds plain files only");
      case '2' -> throw fail("entry \"" + Names.shown(name) + "\" is a symbolic link (to \"" + Names.shown(link)
          + "\"); a bundle holds plain files only");
      case '3' -> throw fail("entry \"" + Names.shown(name) + "\" is a character device; a bundle holds plain files only");
      case '4' -> throw fail("entry \"" + Names.shown(name) + "\" is a block device; a bundle holds plain files only");
      case '6' -> throw fail("entry \"" + Names.shown(name) + "\" is a FIFO; a bundle holds plain files only");
      case 'x', 'g' -> throw fail("entry at byte " + at + " is a pax extended header, which can rename or resize the next"
          + " entry; a bundle holds plain ustar entries only");
      case 'L', 'K' -> throw fail("entry at byte " + at + " is a GNU long-name header; a bundle's names fit in ustar");
      default -> throw fail("entry \"" + Names.shown(name) + "\" has the unsupported type '" + Names.shown(String.valueOf(type))
          + "'; a bundle holds plain files and folders only");
    };
    long size = size(h, at, name);
    if (kind == Kind.DIRECTORY && size != 0) {
      throw fail("folder entry \"" + Names.shown(name) + "\" declares " + size + " bytes of content");
    }
    long left = length - position;
    if (size > left) {
      throw fail("entry \"" + Names.shown(name) + "\" declares " + size + " bytes but only " + left
          + " are left in the file; it is truncated or damaged: copy it again");
    }
    String normal = normalise(name, kind, at);
    remaining = size;
    padding = (BLOCK - size % BLOCK) % BLOCK;
    Entry e = new Entry(normal, kind, size, at);
    current = Optional.of(e);
    return Optional.of(e);
  }

  /** Reads the current entry's content; -1 at its end. */
  int read(byte[] buf, int off, int len) throws BundleException, IOException {
    if (remaining == 0) {
      return -1;
    }
    int n = in.read(buf, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw fail("ends in the middle of entry \"" + Names.shown(current.map(Entry::name).orElse("?")) + "\" ("
          + remaining + " bytes missing); it is truncated: copy it again");
    }
    remaining -= n;
    position += n;
    return n;
  }

  /** Reads the whole current entry, which must be at most {@code max} bytes. */
  byte[] readAll(int max) throws BundleException, IOException {
    if (remaining > max) {
      throw fail("entry \"" + Names.shown(current.map(Entry::name).orElse("?")) + "\" is " + remaining
          + " bytes; at most " + max + " are accepted for it");
    }
    byte[] out = new byte[(int) remaining];
    int off = 0;
    while (off < out.length) {
      int n = read(out, off, out.length - off);
      if (n < 0) {
        break;
      }
      off += n;
    }
    return out;
  }

  BundleException fail(String problem) {
    return new BundleException(label + " " + problem);
  }

  private void refuseCompressed(byte[] h) throws BundleException {
    String what = null;
    if ((h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
      what = "gzip";
    } else if ((h[0] & 0xff) == 0x28 && (h[1] & 0xff) == 0xb5 && (h[2] & 0xff) == 0x2f && (h[3] & 0xff) == 0xfd) {
      what = "zstd";
    } else if ((h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z') {
      what = "xz";
    } else if (h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
      what = "bzip2";
    }
    if (what != null) {
      throw fail("is " + what + "-compressed; a bundle is a plain .tar (its models are stored uncompressed): decompress"
          + " it first, or export it again with `soko bundle export`");
    }
  }

  private void checksum(byte[] h, long at) throws BundleException {
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : h[i];
    }
    long stored;
    try {
      stored = octal(h, 148, 8);
    } catch (NumberFormatException e) {
      throw fail("is not a tar archive (no valid header at byte " + at + ")");
    }
    if (stored != unsigned && stored != signed) {
      throw fail("is not a tar archive, or is damaged (header checksum at byte " + at + " does not match)");
    }
  }

  private String name(byte[] h, long at) throws BundleException {
    byte[] name = field(h, 0, 100);
    byte[] prefix = field(h, 345, 155);
    byte[] all;
    if (prefix.length > 0) {
      all = new byte[prefix.length + 1 + name.length];
      System.arraycopy(prefix, 0, all, 0, prefix.length);
      all[prefix.length] = '/';
      System.arraycopy(name, 0, all, prefix.length + 1, name.length);
    } else {
      all = name;
    }
    try {
      CharBuffer cs = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(all));
      return cs.toString();
    } catch (CharacterCodingException e) {
      throw fail("entry at byte " + at + " has a name that is not UTF-8 (" + Names.hex(all) + "); a bundle's names are ASCII");
    }
  }

  private String normalise(String name, Kind kind, long at) throws BundleException {
    String shown = Names.shown(name);
    if (name.isEmpty()) {
      throw fail("entry at byte " + at + " has an empty name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && c <= 0x9f)) {
        throw fail("entry \"" + shown + "\" has a control character or backslash in its name; refused");
      }
    }
    if (name.startsWith("/")) {
      throw fail("entry \"" + shown + "\" has an absolute path; refused: a bundle's entries are relative");
    }
    if (name.length() >= 2 && name.charAt(1) == ':') {
      throw fail("entry \"" + shown + "\" has a drive-letter path; refused: a bundle's entries are relative");
    }
    String n = name.startsWith("./") ? name.substring(2) : name;
    if (kind == Kind.DIRECTORY && n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty() && kind == Kind.DIRECTORY) {
      return ".";
    }
    for (String seg : n.split("/", -1)) {
      if (seg.equals("..")) {
        throw fail("entry \"" + shown + "\" climbs out with \"..\"; refused");
      }
      if (seg.isEmpty() || seg.equals(".")) {
        throw fail("entry \"" + shown + "\" has an empty or \".\" path segment; refused");
      }
    }
    return n;
  }

  private long size(byte[] h, long at, String name) throws BundleException {
    if ((h[124] & 0x80) != 0) {
      if ((h[124] & 0xff) != 0x80) {
        throw fail("entry \"" + Names.shown(name) + "\" has a negative size");
      }
      long v = 0;
      for (int i = 125; i < 136; i++) {
        if (v >>> 55 != 0) {
          throw fail("entry \"" + Names.shown(name) + "\" declares a size beyond 2^63 bytes");
        }
        v = (v << 8) | (h[i] & 0xff);
      }
      if (v < 0) {
        throw fail("entry \"" + Names.shown(name) + "\" declares a size beyond 2^63 bytes");
      }
      return v;
    }
    try {
      return octal(h, 124, 12);
    } catch (NumberFormatException e) {
      throw fail("entry \"" + Names.shown(name) + "\" has an unreadable size field");
    }
  }

  /** An octal field: optional leading spaces, digits, then NULs or spaces. */
  static long octal(byte[] h, int off, int width) {
    int i = off;
    int end = off + width;
    while (i < end && h[i] == ' ') {
      i++;
    }
    long v = 0;
    int digits = 0;
    while (i < end && h[i] >= '0' && h[i] <= '7') {
      v = v * 8 + (h[i] - '0');
      i++;
      digits++;
    }
    while (i < end && (h[i] == 0 || h[i] == ' ')) {
      i++;
    }
    if (i != end || digits == 0) {
      throw new NumberFormatException("not octal");
    }
    return v;
  }

  private static byte[] field(byte[] h, int off, int width) {
    int end = off;
    while (end < off + width && h[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(h, off, end);
  }

  private static String cString(byte[] h, int off, int width) {
    return new String(field(h, off, width), StandardCharsets.UTF_8);
  }

  private byte[] readBlock(long at) throws BundleException, IOException {
    byte[] b = new byte[BLOCK];
    int off = 0;
    while (off < BLOCK) {
      int n = in.read(b, off, BLOCK - off);
      if (n < 0) {
        throw fail(off == 0 && at > 0
            ? "ends at byte " + at + " without the end-of-archive marker; it is truncated: copy it again"
            : "ends inside a header at byte " + (at + off) + "; it is truncated or not a tar archive");
      }
      off += n;
    }
    position += BLOCK;
    return b;
  }

  private void skip(long n) throws BundleException, IOException {
    long left = n;
    byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(left, 1))];
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw fail("ends in the middle of entry \"" + Names.shown(current.map(Entry::name).orElse("?"))
            + "\"; it is truncated: copy it again");
      }
      left -= r;
      position += r;
    }
  }

  /** After the end marker only zeros may follow (writers pad to a record size). */
  private void trailer() throws BundleException, IOException {
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != 0) {
          throw fail("has data after its end-of-archive marker (at byte " + (position + i) + "); refused");
        }
      }
      position += n;
    }
  }

  static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
