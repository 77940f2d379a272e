package soko.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves things aside instead of deleting them on the spot: a corrupt blob replaced by a good copy,
 * and any link or other non-regular file found where a store file or folder belongs. A link is
 * moved as a link; what it points to is never opened, changed or deleted. {@code soko gc} deletes
 * the quarantine; until then diagnostics lists it ({@link #notices()}).
 *
 * <p>Thread-safe (each move is one rename).
 */
final class Quarantine {
  private final Layout layout;
  private final Clock clock;

  Quarantine(Layout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  /**
   * Moves {@code entry} (a file, or a link as a link) into the quarantine.
   *
   * @param kind what belonged there: {@code blob}, {@code record}, {@code manifest}, {@code ref},
   *     {@code pin}, {@code removal} or {@code folder}
   * @return where it went
   */
  Path moveAside(Path entry, String kind) throws IOException {
    Path dir = layout.quarantine();
    Files2.refuseLink(dir);
    Files.createDirectories(dir);
    Instant now = clock.instant();
    Path target = layout.quarantined(kind, entry, now);
    for (int n = 1; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
      target = dir.resolve(layout.quarantined(kind, entry, now).getFileName() + "-" + n);
    }
    try {
      Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException otherFileSystem) {
      // An entry of the cache root on another file system: copied (a link as a link), then deleted.
      Files.move(entry, target);
    }
    Files2.fsyncDirectory(dir);
    return target;
  }

  /**
   * Makes {@code dir} a real folder: when a link or a file is there, moves it aside first.
   *
   * @return a line saying what was moved aside, if anything was
   */
  Optional<String> realFolder(Path dir) throws IOException {
    Files2.Kind k = Files2.kind(dir);
    if (k == Files2.Kind.FOLDER) {
      return Optional.empty();
    }
    String moved = null;
    if (k != Files2.Kind.MISSING) {
      String what = describe(dir, k);
      Path to;
      try {
        to = moveAside(dir, "folder");
      } catch (java.nio.file.NoSuchFileException movedMeanwhile) {
        Files.createDirectories(dir); // another thread or process moved it aside first
        return Optional.empty();
      }
      moved = dir + " was " + what + "; Soko never follows links inside its store: moved it aside to " + to
          + " and made a new, empty folder";
    }
    Files.createDirectories(dir);
    return Optional.ofNullable(moved);
  }

  /** Every entry in the quarantine (files and links; never followed). */
  List<Path> entries() throws IOException {
    return Files2.listFiles(layout.quarantine());
  }

  /**
   * One line per quarantined entry: what it was, where it was found, when, and that gc deletes it.
   * For diagnostics; reads only the quarantine folder.
   */
  List<String> notices() throws IOException {
    List<String> out = new ArrayList<>();
    List<Path> entries = entries();
    entries.sort(null);
    for (Path p : entries) {
      Files2.Kind k = Files2.kind(p);
      Optional<Layout.Quarantined> name = Layout.quarantinedName(p.getFileName().toString());
      String what = describe(p, k);
      if (name.isEmpty()) {
        out.add(p + ": " + what + " moved aside; `soko gc` deletes it");
        continue;
      }
      String kind = name.get().kind();
      String found = k == Files2.Kind.FILE && kind.equals("blob")
          ? "a corrupt copy of " + name.get().where() + ", replaced by a good copy"
          : what + " found where the store keeps " + ("folder".equals(kind) ? "the folder " : "a " + kind + " ")
              + name.get().where();
      out.add(p + ": " + found + ", moved aside " + name.get().at() + "; `soko gc` deletes it"
          + (k == Files2.Kind.LINK ? " (never what it points to)" : ""));
    }
    return out;
  }

  private static String describe(Path p, Files2.Kind k) {
    return switch (k) {
      case LINK -> "a symbolic link" + target(p);
      case FILE -> "a file";
      case FOLDER -> "a folder";
      case OTHER -> "a special file (not a regular file)";
      case MISSING -> "gone";
    };
  }

  private static String target(Path link) {
    try {
      return " to " + Files.readSymbolicLink(link);
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}
