package soko.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.ModelName;

/**
 * Finished removals, in {@code state/removed/<name>.json}: written once a removal has freed its
 * blobs and before its intent ({@link Removals}) is deleted, so that {@code soko rm NAME} run
 * again after a removal that completed (killed after its last step, or removed by another
 * process) can say that the model was removed instead of calling it unknown. Overwritten by the
 * next removal of the name; never read for anything else. Thread-safe.
 */
final class Removed {
  private static final int MAX_BYTES = 4096;

  /** A finished removal. */
  record Record(ModelName name, Instant removedAt) {}

  private final Layout layout;

  Removed(Layout layout) {
    this.layout = layout;
  }

  void write(ModelName name, Instant removedAt) throws IOException {
    var o = Json.object();
    o.put("name", name.value());
    o.put("removedAt", removedAt.toString());
    Files2.writeAtomically(layout.removed(name), Json.write(o));
  }

  /** The finished removal of that name, if one is recorded and readable. */
  Optional<Record> read(ModelName name) throws IOException {
    byte[] bytes;
    try {
      bytes = Files2.readRegular(layout.removed(name), MAX_BYTES);
    } catch (NoSuchFileException | Files2.NotRegularFileException | Files2.TooLargeException e) {
      return Optional.empty();
    }
    try {
      Node n = Json.parse(bytes, MAX_BYTES, "finished removal");
      n.object(Set.of("name", "removedAt"));
      if (!n.get("name").text().equals(name.value())) {
        return Optional.empty();
      }
      return Optional.of(new Record(name, n.get("removedAt").instant()));
    } catch (JsonProblem | IllegalArgumentException e) {
      return Optional.empty(); // a damaged record: the name counts as never installed
    }
  }
}
