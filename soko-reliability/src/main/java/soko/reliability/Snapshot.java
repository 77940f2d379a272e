package soko.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every entry under a folder, without following links: type, size, permissions, sha256 of each
 * regular file and the target of each link. Two snapshots taken before and after Soko ran show
 * whether it wrote, changed or deleted anything outside its roots.
 *
 * @param root the folder walked
 * @param entries by path relative to {@code root}
 */
record Snapshot(Path root, Map<String, Entry> entries) {
  Snapshot {
    entries = Map.copyOf(entries);
  }

  /** One file system entry; {@code sha256} is empty for anything but a regular file. */
  record Entry(String type, long size, String mode, String sha256, String linkTarget) {}

  /** What changed between two snapshots of the same folder. */
  record Change(String path, String what, long bytes) {
    @Override
    public String toString() {
      return path + " " + what + " (" + bytes + " bytes)";
    }
  }

  /**
   * Walks {@code root}, skipping the folders in {@code skip} (absolute paths: the store's roots,
   * which Soko owns). Entries that vanish during the walk are left out.
   */
  static Snapshot take(Path root, Set<Path> skip) {
    Map<String, Entry> out = new TreeMap<>();
    Set<Path> skipped = new TreeSet<>();
    skip.forEach(p -> skipped.add(p.toAbsolutePath().normalize()));
    Path abs = root.toAbsolutePath().normalize();
    try {
      Files.walkFileTree(abs, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (skipped.contains(dir)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          out.put(rel(dir), new Entry("dir", 0, mode(dir), "", ""));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (skipped.contains(file)) {
            return FileVisitResult.CONTINUE;
          }
          try {
            if (attrs.isSymbolicLink()) {
              out.put(rel(file), new Entry("link", 0, "", "", Files.readSymbolicLink(file).toString()));
            } else if (attrs.isRegularFile()) {
              out.put(rel(file), new Entry("file", attrs.size(), mode(file), sha256(file), ""));
            } else {
              out.put(rel(file), new Entry("other", 0, mode(file), "", ""));
            }
          } catch (NoSuchFileException gone) {
            // removed while walking: the next snapshot shows it as missing
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          out.put(rel(file), new Entry("unreadable", 0, "", "", exc.getClass().getSimpleName()));
          return FileVisitResult.CONTINUE;
        }

        private String rel(Path p) {
          String r = abs.relativize(p).toString();
          return r.isEmpty() ? "." : r;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot walk " + abs, e);
    }
    return new Snapshot(abs, out);
  }

  /** Entries added, removed or changed since {@code before}, with the bytes involved. */
  List<Change> changesSince(Snapshot before) {
    List<Change> changes = new ArrayList<>();
    for (var e : before.entries.entrySet()) {
      Entry now = entries.get(e.getKey());
      Entry was = e.getValue();
      if (now == null) {
        changes.add(new Change(e.getKey(), "removed " + was.type(), was.size()));
      } else if (!now.equals(was)) {
        String what = !now.type().equals(was.type()) ? "became a " + now.type() + " (was a " + was.type() + ")"
            : !now.sha256().equals(was.sha256()) ? "content changed"
            : !now.mode().equals(was.mode()) ? "mode " + was.mode() + " → " + now.mode()
            : !now.linkTarget().equals(was.linkTarget()) ? "link now points to " + now.linkTarget()
            : "changed";
        changes.add(new Change(e.getKey(), what, Math.max(now.size(), was.size())));
      }
    }
    for (var e : entries.entrySet()) {
      if (!before.entries.containsKey(e.getKey())) {
        changes.add(new Change(e.getKey(), "added " + e.getValue().type(), e.getValue().size()));
      }
    }
    return changes;
  }

  private static String mode(Path p) throws IOException {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    } catch (UnsupportedOperationException e) {
      return "";
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
