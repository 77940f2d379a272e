package soko.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.ModelName;

/**
 * What the store remembers about a model besides its ref, one small file per model so that
 * writers of different models never meet: when an engine last opened it ({@code state/used/}),
 * whether the user marked it keep ({@code state/keep/}), and the version an update replaced
 * ({@code state/previous/}, in the ref format). Each file is written atomically; a missing,
 * damaged or linked file reads as absent (never followed). Thread-safe.
 */
final class ModelMarks {
  private static final int MAX_BYTES = 64 * 1024;

  private final Layout layout;
  private final Refs refs;

  ModelMarks(Layout layout, Refs refs) {
    this.layout = layout;
    this.refs = refs;
  }

  void recordUse(ModelName name, Instant at) throws StoreIOException {
    ObjectNode o = Json.object();
    o.put("name", name.value());
    o.put("lastUsed", at.toString());
    write(layout.used(name), o);
  }

  Optional<Instant> lastUsed(ModelName name) {
    return read(layout.used(name), "lastUsed");
  }

  void keep(ModelName name, boolean keep, Instant at) throws StoreIOException {
    if (!keep) {
      try {
        java.nio.file.Files.deleteIfExists(layout.kept(name)); // a link is deleted as a link
      } catch (IOException e) {
        throw new StoreIOException("cannot unmark " + name + " (" + layout.kept(name) + ")", e);
      }
      return;
    }
    ObjectNode o = Json.object();
    o.put("name", name.value());
    o.put("keptAt", at.toString());
    write(layout.kept(name), o);
  }

  boolean kept(ModelName name) {
    return read(layout.kept(name), "keptAt").isPresent();
  }

  /**
   * The version an update replaced, if it is kept and differs from the installed one (after a crash
   * between writing this record and the ref, both name the same version: there is nothing to go
   * back to).
   */
  Optional<Refs.Ref> previous(ModelName name) {
    try {
      Optional<Refs.Ref> p = refs.read(layout.previous(name), name);
      if (p.isEmpty() || !p.get().name().equals(name)) {
        return Optional.empty();
      }
      Optional<Refs.Ref> current = refs.read(name);
      if (current.isPresent() && current.get().manifestSha256().equals(p.get().manifestSha256())) {
        return Optional.empty();
      }
      return p;
    } catch (StoreException damaged) {
      return Optional.empty();
    }
  }

  void writePrevious(Refs.Ref ref) throws IOException {
    Files2.writeAtomically(layout.previous(ref.name()), ref.toJson());
  }

  void deletePrevious(ModelName name) throws IOException {
    java.nio.file.Files.deleteIfExists(layout.previous(name));
  }

  /** Names with a previous-version record, whatever it says. */
  List<ModelName> withPrevious() throws IOException {
    List<ModelName> out = new ArrayList<>();
    for (Path p : Files2.listFiles(layout.previous())) {
      String f = p.getFileName().toString();
      if (f.endsWith(".json") && !f.startsWith(".")) {
        try {
          out.add(ModelName.parse(f.substring(0, f.length() - ".json".length())));
        } catch (IllegalArgumentException e) {
          continue; // not one of ours
        }
      }
    }
    return out;
  }

  private static void write(Path p, ObjectNode o) throws StoreIOException {
    try {
      Files2.writeAtomically(p, Json.write(o));
    } catch (IOException e) {
      throw new StoreIOException("cannot write " + p, e);
    }
  }

  private static Optional<Instant> read(Path p, String field) {
    try {
      Node n = Json.parse(Files2.readRegular(p, MAX_BYTES), MAX_BYTES, p.getFileName().toString());
      n.object(Set.of("name", field));
      return Optional.of(n.get(field).instant());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | JsonProblem e) {
      return Optional.empty(); // damaged or a link: read as never used / not kept
    }
  }
}
