package soko.app.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Builds, at test time, OCI image layouts shaped like what other tools publish (written from the
 * image-spec's image-layout.md and the ModelPack spec, not from any tool's code), and tar layers
 * written from POSIX ustar. skopeo then copies a layout into the loopback registry.
 */
final class OciLayout {
  /** One layer: media type, bytes, annotations. */
  record Layer(String mediaType, byte[] bytes, Map<String, String> annotations) {
    Digest digest() {
      return Hashing.sha256(bytes);
    }
  }

  /** One tar entry: type '0' file, '5' folder, '2' symbolic link, '1' hard link. */
  record Entry(String name, char type, byte[] bytes, String link) {
    static Entry file(String name, byte[] bytes) {
      return new Entry(name, '0', bytes, "");
    }

    static Entry folder(String name) {
      return new Entry(name, '5', new byte[0], "");
    }

    static Entry symlink(String name, String target) {
      return new Entry(name, '2', new byte[0], target);
    }
  }

  private OciLayout() {}

  static byte[] tar(List<Entry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Entry e : entries) {
      byte[] h = new byte[512];
      put(h, 0, 100, e.name());
      put(h, 100, 8, e.type() == '5' ? "0000755" : "0000644");
      put(h, 108, 8, "0000000");
      put(h, 116, 8, "0000000");
      put(h, 124, 12, String.format("%011o", (long) e.bytes().length));
      put(h, 136, 12, String.format("%011o", 1_700_000_000L));
      h[156] = (byte) e.type();
      put(h, 157, 100, e.link());
      put(h, 257, 6, "ustar");
      put(h, 263, 2, "00");
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, 8, String.format("%06o", sum) + "\0 ");
      out.write(h);
      out.write(e.bytes());
      out.write(new byte[(512 - e.bytes().length % 512) % 512]);
    }
    out.write(new byte[1024]);
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, Math.min(b.length, len));
  }

  /** {@code {"k":"v",…}} with JSON escaping of quotes and backslashes. */
  static String json(Map<String, String> m) {
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(quote(k) + ":" + quote(v)));
    return "{" + String.join(",", parts) + "}";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Writes an image layout with one manifest tagged {@code tag} into {@code dir}; returns the manifest bytes.
   *
   * @param artifactType null to leave it out
   */
  static byte[] write(Path dir, String tag, String artifactType, String configType, byte[] config, List<Layer> layers,
      Map<String, String> annotations) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Map<Digest, byte[]> all = new LinkedHashMap<>();
    all.put(Hashing.sha256(config), config);
    StringBuilder ls = new StringBuilder();
    for (Layer l : layers) {
      all.put(l.digest(), l.bytes());
      if (ls.length() > 0) {
        ls.append(',');
      }
      ls.append("{\"mediaType\":").append(quote(l.mediaType())).append(",\"digest\":\"").append(l.digest())
          .append("\",\"size\":").append(l.bytes().length);
      if (!l.annotations().isEmpty()) {
        ls.append(",\"annotations\":").append(json(l.annotations()));
      }
      ls.append('}');
    }
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\""
        + (artifactType == null ? "" : ",\"artifactType\":" + quote(artifactType))
        + ",\"config\":{\"mediaType\":" + quote(configType) + ",\"digest\":\"" + Hashing.sha256(config) + "\",\"size\":"
        + config.length + "},\"layers\":[" + ls + "]"
        + (annotations.isEmpty() ? "" : ",\"annotations\":" + json(annotations)) + "}";
    byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
    all.put(Hashing.sha256(m), m);
    for (Map.Entry<Digest, byte[]> e : all.entrySet()) {
      Files.write(blobs.resolve(e.getKey().hex()), e.getValue());
    }
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + Hashing.sha256(m) + "\",\"size\":" + m.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":" + quote(tag) + "}}]}");
    return m;
  }
}
