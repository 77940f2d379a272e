package soko.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Test models: their files (random bytes from a seed) and manifests written in the documented
 * format (schemas/manifest-v1.schema.json), as a publisher would write them by hand.
 */
final class Models {
  static final ObjectMapper JSON = new ObjectMapper();

  private Models() {}

  /** A model: name, version and each file's bytes by path. */
  record Model(String name, String version, Map<String, byte[]> files) {
    Model {
      files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    long size() {
      return files.values().stream().mapToLong(b -> b.length).sum();
    }

    /** sha256 (hex) by path. */
    Map<String, String> sha256() {
      Map<String, String> m = new LinkedHashMap<>();
      files.forEach((p, b) -> m.put(p, Snapshot.sha256(b)));
      return m;
    }

    String id() {
      return name + "@" + version;
    }

    /** Writes every file under {@code dir} (folders created). */
    void writeFiles(Path dir) {
      try {
        for (var f : files.entrySet()) {
          Path p = dir.resolve(f.getKey());
          Files.createDirectories(p.getParent());
          Files.write(p, f.getValue());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The manifest, with each file's sources given by {@code sources(path)}. */
    ObjectNode manifest(Function<String, List<URI>> sources) {
      ObjectNode m = JSON.createObjectNode();
      m.put("schemaVersion", 1);
      m.put("name", name);
      m.put("version", version);
      m.put("description", "reliability test model (random bytes)");
      ObjectNode task = m.putArray("tasks").addObject();
      task.put("task", "translate");
      task.putArray("languages").add("ja");
      task.put("to", "en");
      ObjectNode engine = m.putObject("engine");
      engine.put("id", "onnxruntime");
      engine.put("version", "*");
      ObjectNode lic = m.putObject("license");
      lic.put("spdx", "CC0-1.0");
      lic.put("url", "https://creativecommons.org/publicdomain/zero/1.0/");
      lic.put("attribution", "Soko reliability harness");
      ArrayNode files = m.putArray("files");
      for (var f : this.files.entrySet()) {
        ObjectNode o = files.addObject();
        o.put("path", f.getKey());
        o.put("size", f.getValue().length);
        o.put("sha256", Snapshot.sha256(f.getValue()));
        ArrayNode s = o.putArray("sources");
        sources.apply(f.getKey()).forEach(u -> s.add(u.toString()));
      }
      m.put("totalSize", size());
      return m;
    }

    /** Writes the manifest to {@code file}. */
    Path writeManifest(Path file, Function<String, List<URI>> sources) {
      try {
        Files.createDirectories(file.getParent());
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(sources)));
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static byte[] random(Random r, int size) {
    byte[] b = new byte[size];
    r.nextBytes(b);
    return b;
  }
}
