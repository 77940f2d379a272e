package soko.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * Opening a store: the marker (created in an empty folder, checked in an existing store), and
 * every folder of {@link Layout} made a real folder. A link (or a file) found where a store folder
 * belongs is moved aside to the quarantine as a link, never followed, and a new, empty folder takes
 * its place; diagnostics lists it ({@link Quarantine#notices()}) until gc deletes it.
 */
final class StoreSetup {
  private static final int MAX_MARKER_BYTES = 64 * 1024;

  private StoreSetup() {}

  static void prepare(Layout layout, Quarantine quarantine, Clock clock) throws StoreException {
    StoreRoots roots = layout.roots();
    try {
      Files.createDirectories(roots.data());
      readOrCreateMarker(layout);
      realQuarantine(layout, clock.instant());
      for (Path dir : layout.dataFolders()) {
        quarantine.realFolder(dir);
      }
      Files.createDirectories(roots.cache());
      for (Path dir : layout.cacheFolders()) {
        quarantine.realFolder(dir);
      }
      if (Files2.kind(layout.cacheTag()) != Files2.Kind.FILE) {
        Files2.writeAtomically(layout.cacheTag(), ("Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# This file is a cache directory tag created by Soko.\n"
            + "# Everything here can be re-created; `soko cache clear` empties it.\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new StoreIOException("cannot create the store in " + roots.data() + " and " + roots.cache(), e);
    }
  }

  /**
   * Makes {@code quarantine/} a real folder. A link there cannot be moved into itself: it is
   * renamed beside it first, then moved into the new folder.
   */
  private static void realQuarantine(Layout layout, Instant now) throws IOException {
    Path q = layout.quarantine();
    Files2.Kind k = Files2.kind(q);
    if (k == Files2.Kind.FOLDER || k == Files2.Kind.MISSING) {
      return;
    }
    Path aside = layout.roots().data().resolve(".quarantine-" + UUID.randomUUID());
    Files.move(q, aside, StandardCopyOption.ATOMIC_MOVE);
    Files.createDirectories(q);
    Files.move(aside, layout.quarantined("folder", q, now), StandardCopyOption.ATOMIC_MOVE);
    Files2.fsyncDirectory(q);
  }

  private static void readOrCreateMarker(Layout layout) throws IOException, StoreConfigException {
    Path marker = layout.marker();
    Files2.Kind kind = Files2.kind(marker);
    if (kind != Files2.Kind.MISSING) {
      byte[] bytes;
      try {
        bytes = Files2.readRegular(marker, MAX_MARKER_BYTES);
      } catch (Files2.NotRegularFileException | Files2.TooLargeException e) {
        throw new StoreConfigException(e.getMessage() + "; it marks a Soko store: restore it or move the folder away",
            e);
      }
      long version;
      try {
        Node n = Json.parse(bytes, MAX_MARKER_BYTES, "store marker");
        version = n.get("layout").integer(1, Integer.MAX_VALUE);
      } catch (JsonProblem p) {
        throw new StoreConfigException(marker + " is damaged (" + p.getMessage()
            + "); it marks a Soko store: restore it or move the folder away", p);
      }
      if (version > Layout.LAYOUT_VERSION) {
        throw new StoreConfigException("the store in " + layout.roots().data() + " has layout " + version
            + ", newer than this Soko understands (" + Layout.LAYOUT_VERSION + "): upgrade Soko, or use another --home");
      }
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.roots().data())) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!Layout.dataEntries().contains(n) && !n.startsWith("." + Layout.MARKER)) {
          throw new StoreConfigException("the data root " + layout.roots().data() + " already holds other files (such as "
              + n + ") and no Soko store marker: give Soko an empty or new folder");
        }
      }
    } catch (NoSuchFileException e) {
      // Created just above; removed meanwhile by someone else: the marker write below says so.
    }
    ObjectNode o = Json.object();
    o.put("layout", Layout.LAYOUT_VERSION);
    o.put("storeId", UUID.randomUUID().toString());
    Files2.writeAtomically(marker, Json.write(o));
  }
}
