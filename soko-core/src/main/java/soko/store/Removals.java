package soko.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Manifest;
import soko.manifest.ModelName;
import soko.verification.Digest;

/**
 * Removals in progress, in {@code state/removing/<name>.json}: written (under the refs lock)
 * before a removal deletes anything, deleted once its blobs are freed. A removal that was
 * interrupted, by a crash or a kill, is finished by the next {@code soko rm} of that name or by
 * gc; until then gc and diagnostics count the manifests it names as gone. Thread-safe.
 */
final class Removals {
  /** The installed manifest names Soko writes: {@code <version>-<12 hex>.json}, no separators. */
  private static final Pattern MANIFEST_FILE = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,200}\\.json");
  private static final int MAX_BYTES = 16 * 1024 * 1024;

  /**
   * A removal of one model.
   *
   * @param manifests file names in the model's manifest folder to delete
   * @param blobs the blobs to free when no other model uses them
   * @param everyOrphan free every unused blob instead (the model's manifest was unreadable, so its
   *     blobs are unknown)
   */
  record Intent(ModelName name, Set<String> manifests, Set<Digest> blobs, boolean everyOrphan, Instant startedAt) {
    Intent {
      manifests = Set.copyOf(manifests);
      blobs = Set.copyOf(blobs);
      for (String m : manifests) {
        if (!MANIFEST_FILE.matcher(m).matches() || m.contains("..")) {
          throw new IllegalArgumentException("not a manifest file name: " + m);
        }
      }
    }

    Intent merge(Intent other) {
      Set<String> m = new TreeSet<>(manifests);
      m.addAll(other.manifests);
      Set<Digest> b = new java.util.HashSet<>(blobs);
      b.addAll(other.blobs);
      return new Intent(name, m, b, everyOrphan || other.everyOrphan, startedAt.isBefore(other.startedAt)
          ? startedAt : other.startedAt);
    }
  }

  private final Layout layout;

  Removals(Layout layout) {
    this.layout = layout;
  }

  void write(Intent intent) throws IOException {
    ObjectNode o = Json.object();
    o.put("name", intent.name().value());
    ArrayNode m = o.putArray("manifests");
    new TreeSet<>(intent.manifests()).forEach(m::add);
    ArrayNode b = o.putArray("blobs");
    intent.blobs().stream().map(Digest::hex).sorted().forEach(b::add);
    o.put("everyOrphan", intent.everyOrphan());
    o.put("startedAt", intent.startedAt().toString());
    Files2.writeAtomically(layout.removal(intent.name()), Json.write(o));
  }

  /** The removal of that model in progress, if any; a damaged one frees every orphan. */
  Optional<Intent> read(ModelName name) throws IOException {
    Path file = layout.removal(name);
    byte[] bytes;
    try {
      bytes = Files2.readRegular(file, MAX_BYTES);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (Files2.NotRegularFileException | Files2.TooLargeException e) {
      return Optional.of(damaged(name, file));
    }
    try {
      Node n = Json.parse(bytes, MAX_BYTES, "removal in progress");
      n.object(Set.of("name", "manifests", "blobs", "everyOrphan", "startedAt"));
      if (!n.get("name").text().equals(name.value())) {
        return Optional.of(damaged(name, file));
      }
      Set<String> manifests = new TreeSet<>();
      for (Node f : n.get("manifests").array(Manifest.MAX_FILES)) {
        manifests.add(f.text());
      }
      Set<Digest> blobs = new java.util.HashSet<>();
      for (Node b : n.get("blobs").array(Manifest.MAX_FILES * 16)) {
        blobs.add(b.parse(Digest::ofHex, "64 hex digits"));
      }
      return Optional.of(new Intent(name, manifests, blobs, n.get("everyOrphan").bool(), n.get("startedAt").instant()));
    } catch (JsonProblem | IllegalArgumentException e) {
      return Optional.of(damaged(name, file));
    }
  }

  /** A removal whose record is unreadable: delete the model's every manifest, free every orphan. */
  private Intent damaged(ModelName name, Path file) throws IOException {
    Set<String> all = new TreeSet<>();
    for (Path p : Files2.listFiles(layout.manifestDir(name))) {
      String f = p.getFileName().toString();
      if (MANIFEST_FILE.matcher(f).matches() && !f.contains("..")) {
        all.add(f);
      }
    }
    return new Intent(name, all, Set.of(), true, Files2.modified(file));
  }

  /** Every removal in progress, by model name. */
  List<Intent> all() throws IOException {
    List<Intent> out = new ArrayList<>();
    for (Path p : Files2.listFiles(layout.removing())) {
      String f = p.getFileName().toString();
      if (!f.endsWith(".json") || f.startsWith(".")) {
        continue;
      }
      ModelName name;
      try {
        name = ModelName.parse(f.substring(0, f.length() - ".json".length()));
      } catch (IllegalArgumentException e) {
        continue; // not one of ours
      }
      read(name).ifPresent(out::add);
    }
    out.sort(java.util.Comparator.comparing(i -> i.name().value()));
    return out;
  }

  /** The manifest files a removal deletes (inside the model's own manifest folder). */
  List<Path> manifestFiles(Intent intent) {
    return intent.manifests().stream().map(m -> layout.manifestDir(intent.name()).resolve(m)).toList();
  }

  void delete(ModelName name) throws IOException {
    Files.deleteIfExists(layout.removal(name));
  }
}
