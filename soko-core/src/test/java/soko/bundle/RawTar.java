package soko.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tar builder for tests that writes whatever it is told: any name bytes, type, link, size field
 * and checksum, so that hostile archives can be made at test time. Independent of {@link TarWriter}.
 */
final class RawTar {
  /** One entry: raw name bytes, type flag, link name, content, and an optional size field overriding content length. */
  record Entry(byte[] name, char type, String link, byte[] content, long declaredSize, boolean base256, boolean badChecksum) {
    static Entry file(String name, byte[] content) {
      return new Entry(name.getBytes(StandardCharsets.UTF_8), '0', "", content, content.length, false, false);
    }

    static Entry of(String name, char type, String link) {
      return new Entry(name.getBytes(StandardCharsets.UTF_8), type, link, new byte[0], 0, false, false);
    }

    Entry declaring(long size, boolean base256) {
      return new Entry(name, type, link, content, size, base256, badChecksum);
    }

    Entry withBadChecksum() {
      return new Entry(name, type, link, content, declaredSize, base256, true);
    }

    String text() {
      return new String(name, StandardCharsets.UTF_8);
    }
  }

  private RawTar() {}

  /** Reads a well-formed ustar archive written by Soko into entries (names and contents). */
  static List<Entry> parse(Path tar) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar)) {
      while (true) {
        byte[] h = in.readNBytes(512);
        if (h.length < 512 || isZero(h)) {
          return out;
        }
        int end = 0;
        while (end < 100 && h[end] != 0) {
          end++;
        }
        byte[] name = Arrays.copyOf(h, end);
        long size = Long.parseLong(new String(h, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
        byte[] content = in.readNBytes((int) size);
        in.readNBytes((int) ((512 - size % 512) % 512));
        out.add(new Entry(name, (char) h[156], "", content, size, false, false));
      }
    }
  }

  static byte[] write(List<Entry> entries, boolean endMarker) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Entry e : entries) {
      out.writeBytes(header(e));
      out.writeBytes(e.content());
      int pad = (512 - e.content().length % 512) % 512;
      out.writeBytes(new byte[pad]);
    }
    if (endMarker) {
      out.writeBytes(new byte[1024]);
    }
    return out.toByteArray();
  }

  static byte[] header(Entry e) {
    byte[] h = new byte[512];
    System.arraycopy(e.name(), 0, h, 0, Math.min(100, e.name().length));
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    if (e.base256()) {
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (e.declaredSize() >>> (8 * i));
      }
    } else {
      put(h, 124, String.format("%011o", e.declaredSize()));
    }
    put(h, 136, "00000000000");
    h[156] = (byte) e.type();
    byte[] link = e.link().getBytes(StandardCharsets.UTF_8);
    System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
    put(h, 257, "ustar");
    h[263] = '0';
    h[264] = '0';
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    if (e.badChecksum()) {
      sum += 1;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    return h;
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
