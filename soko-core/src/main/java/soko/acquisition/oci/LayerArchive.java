package soko.acquisition.oci;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Unpacks one {@code .tar} or {@code .tar+gzip} ModelPack layer, refusing anything that is not a
 * plain file or folder with a safe relative path. Written from POSIX.1-2001 (ustar and pax) and the
 * GNU long-name extension; no tar library is used.
 *
 * <p>What is refused, each with a one-line {@link OciFormatException}: absolute paths, {@code ..},
 * any path {@link RelativePath} rejects; symbolic and hard links, devices and FIFOs; two entries
 * with one path; a header whose checksum is wrong; more than {@link Manifest#MAX_FILES} files; and
 * more unpacked bytes than the caller's limit (a gzip bomb stops there, having written at most
 * that much). The files are written to {@code staging} under numbered names that never come from
 * the archive ({@code 0}, {@code 1}, …), so no entry can name a place outside it, and each is
 * hashed as it is written: the sha256 recorded for it is that of the bytes on disk. Not
 * thread-safe; one instance per layer.
 */
// About 400 lines: one tar reader whose checks (header checksum, pax and GNU long names, path,
// entry type, duplicate, file count and unpacked-size limits) all guard the same stream of
// 512-byte blocks; split apart, each check would have to trust the others' state.
public final class LayerArchive {
  private static final int BLOCK = 512;
  private static final int MAX_PAX_BYTES = 64 * 1024;

  /**
   * One regular file of the layer, written to {@code staged}. Immutable.
   *
   * @param path the file's path inside the model, as the tar entry names it (validated)
   * @param size its size in bytes
   * @param sha256 the sha256 of the bytes written to {@code staged}
   * @param staged where the file was written, inside the staging folder
   */
  public record Entry(RelativePath path, long size, Digest sha256, Path staged) {}

  /**
   * What the layer held. Immutable.
   *
   * @param files its regular files, in tar order (copied)
   * @param diffId the sha256 of the uncompressed tar stream (the layer's DiffID)
   * @param unpackedBytes the length of that stream, in bytes
   */
  public record Contents(List<Entry> files, Digest diffId, long unpackedBytes) {
    /** Copies the list. */
    public Contents {
      files = List.copyOf(files);
    }
  }

  /** The most a {@code tar+gzip} layer may unpack to beyond its own size times {@link #GZIP_RATIO}. */
  public static final long GZIP_SLACK = 16L << 20;
  /**
   * The largest expansion accepted from gzip: model weights compress by far less, text files by
   * some tenths; 100 is reached only by runs of one byte, which is how a decompression bomb is made.
   */
  public static final long GZIP_RATIO = 100;

  private LayerArchive() {}

  /**
   * The most uncompressed bytes to read from a layer of {@code size} bytes: the size itself for a
   * plain tar (its stream is the blob), else {@link #GZIP_RATIO} times it plus {@link
   * #GZIP_SLACK}; never more than {@code free}, the space left where the files are written.
   *
   * @param size the layer blob's size in bytes
   * @param gzip whether the layer is {@code tar+gzip}
   * @param free usable bytes where the files are written
   * @return the limit in bytes, for {@link #unpack}'s {@code maxBytes}
   */
  public static long limit(long size, boolean gzip, long free) {
    long bound = gzip ? (size > (Long.MAX_VALUE - GZIP_SLACK) / GZIP_RATIO ? Long.MAX_VALUE : size * GZIP_RATIO + GZIP_SLACK) : size;
    return Math.max(0, Math.min(bound, free));
  }

  /**
   * Unpacks {@code layer} (the verified blob) into {@code staging}, a folder that must exist and
   * be empty.
   *
   * @param gzip whether the layer is {@code tar+gzip}
   * @param maxBytes the most uncompressed bytes (tar stream) to read: larger layers are refused
   * @param where names the layer in messages
   * @param layer the verified layer blob
   * @param staging an existing, empty folder the files are written into
   * @return the files written and the layer's DiffID
   * @throws OciFormatException when the layer is not a valid tar (or gzip), holds a link, device or
   *     path that is not a valid model path, names one path twice, or unpacks past {@code maxBytes}
   * @throws IOException if reading the layer or writing a file fails
   */
  public static Contents unpack(Path layer, boolean gzip, Path staging, long maxBytes, String where)
      throws OciFormatException, IOException {
    try (InputStream file = Files.newInputStream(layer)) {
      InputStream raw = gzip ? new GZIPInputStream(file, Hashing.BUFFER_SIZE) : file;
      MessageDigest diff = Hashing.newSha256();
      Bounded in = new Bounded(new DigestInputStream(raw, diff), maxBytes, where);
      List<Entry> files = read(in, staging, where);
      in.transferTo(OutputStream.nullOutputStream()); // padding after the end marker counts in the DiffID
      return new Contents(files, Digest.of(diff.digest()), in.count);
    } catch (LimitExceeded e) {
      throw new OciFormatException(e.getMessage(), e);
    } catch (ZipException e) {
      throw new OciFormatException(where + " is not valid gzip (" + e.getMessage() + "); the layer is damaged or mislabelled", e);
    } catch (EOFException e) {
      throw new OciFormatException(where + " is truncated (" + e.getMessage() + "); the layer is damaged", e);
    }
  }

  private static List<Entry> read(Bounded in, Path staging, String where) throws OciFormatException, IOException {
    List<Entry> files = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    byte[] header = new byte[BLOCK];
    Map<String, String> pax = Map.of();
    String longName = null;
    while (true) {
      if (!readBlock(in, header)) {
        throw new OciFormatException(where + " ends without the tar end-of-archive marker; the layer is truncated");
      }
      if (allZero(header)) {
        return files;
      }
      checkChecksum(header, where);
      char type = (char) (header[156] & 0xff);
      long size = number(header, 124, 12, where);
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        if (size > MAX_PAX_BYTES) {
          throw new OciFormatException(where + ": a tar extended header of " + size + " bytes is over the " + MAX_PAX_BYTES
              + "-byte limit");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
          throw new OciFormatException(where + " is truncated inside a tar header");
        }
        skip(in, padding(size));
        if (type == 'x') {
          pax = pax(data, where);
        } else if (type == 'L') {
          longName = cString(data, 0, data.length);
        }
        continue; // 'g' (global) and 'K' (long link name) carry nothing Soko uses
      }
      String name = pax.getOrDefault("path", longName != null ? longName : name(header));
      if (pax.containsKey("size")) {
        try {
          size = Long.parseLong(pax.get("size"));
        } catch (NumberFormatException e) {
          throw new OciFormatException(where + ": the tar entry " + quote(name) + " has a bad pax size", e);
        }
      }
      pax = Map.of();
      longName = null;
      switch (type) {
        case '0', '\0', '7' -> {
          RelativePath path = path(name, where);
          if (size < 0 || size > ModelFile.MAX_SIZE) {
            throw new OciFormatException(where + ": the tar entry " + quote(name) + " has the size " + size + ", out of range");
          }
          String prev = seen.putIfAbsent(path.caseFoldKey(), path.value());
          if (prev != null) {
            throw new OciFormatException(where + " holds the path " + quote(path.value())
                + (prev.equals(path.value()) ? " twice" : " and " + quote(prev) + ", one file on case-insensitive disks")
                + "; refused, as one entry would silently replace the other");
          }
          if (files.size() >= Manifest.MAX_FILES) {
            throw new OciFormatException(where + " holds more than " + Manifest.MAX_FILES + " files, more than a model may have");
          }
          Path staged = staging.resolve(Integer.toString(files.size()));
          MessageDigest md = Hashing.newSha256();
          try (OutputStream out = Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
            copy(in, out, md, size, where, name);
          }
          skip(in, padding(size));
          files.add(new Entry(path, size, Digest.of(md.digest()), staged));
        }
        case '5' -> {
          if (!name.equals(".") && !name.equals("./")) { // the layer's own root, as `tar -C dir .` writes
            path(name, where); // a folder is created by the files in it, but its name must be safe too
          }
          skip(in, size + padding(size));
        }
        case '1', '2' -> throw new OciFormatException(where + " holds a " + (type == '2' ? "symbolic" : "hard") + " link "
            + quote(name) + " -> " + quote(cString(header, 157, 100)) + "; Soko unpacks only regular files and folders, so the layer"
            + " is refused");
        default -> throw new OciFormatException(where + " holds " + quote(name) + " of tar type '" + type
            + "' (a device, FIFO or unknown kind); Soko unpacks only regular files and folders, so the layer is refused");
      }
    }
  }

  private static RelativePath path(String name, String where) throws OciFormatException {
    String p = name;
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.startsWith("/")) {
      throw new OciFormatException(where + " holds the absolute path " + quote(name) + "; refused, a layer's paths are relative");
    }
    try {
      return RelativePath.parse(p);
    } catch (IllegalArgumentException e) {
      throw new OciFormatException(where + " holds the unsafe path " + quote(name) + ", refused: " + e.getMessage(), e);
    }
  }

  private static void copy(InputStream in, OutputStream out, MessageDigest md, long size, String where, String name)
      throws IOException, OciFormatException {
    byte[] buf = new byte[Hashing.BUFFER_SIZE];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new OciFormatException(where + " is truncated inside " + quote(name));
      }
      md.update(buf, 0, n);
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static Map<String, String> pax(byte[] data, String where) throws OciFormatException {
    Map<String, String> out = new HashMap<>();
    int i = 0;
    while (i < data.length) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new OciFormatException(where + ": a pax header record has no length", e);
      }
      if (len <= space - i + 1 || i + len > data.length || data[i + len - 1] != '\n') {
        throw new OciFormatException(where + ": a pax header record is malformed");
      }
      String record = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        out.put(record.substring(0, eq), record.substring(eq + 1));
      }
      i += len;
    }
    return out;
  }

  private static String name(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    String prefix = ustar ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** An octal field, or a base-256 one (the high bit of its first byte set, as GNU tar writes sizes over 8 GiB). */
  private static long number(byte[] h, int off, int len, String where) throws OciFormatException {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        if (v > (Long.MAX_VALUE >> 8)) {
          throw new OciFormatException(where + ": a tar number field overflows");
        }
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    String s = cString(h, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new OciFormatException(where + ": a tar header has the non-octal number " + quote(s) + "; it is not a tar archive", e);
    }
  }

  private static void checkChecksum(byte[] h, String where) throws OciFormatException {
    long expected = number(h, 148, 8, where);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != expected) {
      throw new OciFormatException(where + ": a tar header's checksum is wrong; the layer is not a tar archive or is damaged");
    }
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("a tar block is cut short");
    }
    return true;
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static void skip(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static String quote(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return "\"" + t.replaceAll("\\p{Cntrl}", "?") + "\"";
  }

  /** Counts what is read and stops at the limit, so a decompression bomb ends there. */
  private static final class Bounded extends FilterInputStream {
    private final long max;
    private final String where;
    long count;

    Bounded(InputStream in, long max, String where) {
      super(in);
      this.max = max;
      this.where = where;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, (int) Math.min(len, max - count + 1));
      if (n > 0) {
        count += n;
        if (count > max) {
          throw new LimitExceeded(where + " unpacks to more than " + max + " bytes, over the limit for one layer"
              + " (free space in the cache, or the configured maximum); refused");
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long done = 0;
      byte[] buf = new byte[8192];
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
  }

  /** Thrown through the stream when the limit is passed; turned into an {@link OciFormatException} by the caller. */
  static final class LimitExceeded extends IOException {
    LimitExceeded(String message) {
      super(message);
    }
  }
}
