package soko.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import soko.internal.io.AtomicFiles;

/**
 * The store's file operations, none of which follows a symbolic link: crash-safe writes (temp file
 * in the same folder, fsync, atomic rename, fsync of the folder), reads that refuse anything but a
 * regular file, listings that refuse to pass through a link, and quiet deletes.
 */
final class Files2 {
  private Files2() {}

  /** What is at a path, by {@code lstat}. */
  enum Kind {
    MISSING, FILE, FOLDER, LINK, OTHER;

    /** Something is there, but not what a store file or folder may be (a link, a FIFO, a device). */
    boolean foreign() {
      return this == LINK || this == OTHER;
    }
  }

  /** A link or other non-regular file where a store file belongs; never followed, never opened. */
  static final class NotRegularFileException extends IOException {
    NotRegularFileException(Path p, Kind kind) {
      super(p + " is " + (kind == Kind.LINK ? "a symbolic link" : kind == Kind.FOLDER ? "a folder" : "not a regular file")
          + "; Soko never follows links inside its store");
    }
  }

  /** A store file larger than any Soko writes there: damaged, not an I/O error. */
  static final class TooLargeException extends IOException {
    TooLargeException(Path p, int max) {
      super(p + " is larger than " + max + " bytes");
    }
  }

  static Kind kind(Path p) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return Kind.MISSING;
    }
    return a.isSymbolicLink() ? Kind.LINK : a.isDirectory() ? Kind.FOLDER : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
  }

  /**
   * Reads a regular file of at most {@code max} bytes, never through a link: a link, a FIFO or a
   * device is refused before it is opened (opening a FIFO would block), and the open itself does
   * not follow a link swapped in meanwhile.
   *
   * @throws NoSuchFileException when nothing is there
   * @throws NotRegularFileException when something other than a regular file is there
   * @throws TooLargeException when it holds more than {@code max} bytes
   */
  static byte[] readRegular(Path p, int max) throws IOException {
    Kind k = kind(p);
    if (k == Kind.MISSING) {
      throw new NoSuchFileException(p.toString());
    }
    if (k != Kind.FILE) {
      throw new NotRegularFileException(p, k);
    }
    try (SeekableByteChannel ch = Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) max + 1, Math.max(ch.size() + 1, 1)));
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        if (!buf.hasRemaining() && buf.capacity() <= max) {
          buf = ByteBuffer.allocate(Math.min(max + 1, buf.capacity() * 2)).put(buf.flip());
        }
      }
      if (buf.position() > max) {
        throw new TooLargeException(p, max);
      }
      byte[] out = new byte[buf.position()];
      buf.flip().get(out);
      return out;
    }
  }

  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.replace(target, bytes);
  }

  static void fsyncDirectory(Path dir) throws IOException {
    AtomicFiles.syncDirectory(dir);
  }

  /**
   * Publishes {@code tmp} at {@code target} without replacing an existing file: the first writer
   * wins. Uses a hard link where the file system has them (atomic, never overwrites), else an
   * atomic rename (harmless for content-addressed targets: the bytes are the same).
   *
   * @return true when this call published the file, false when it already existed
   */
  static boolean publishNoReplace(Path tmp, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.createLink(target, tmp);
      Files.delete(tmp);
      fsyncDirectory(target.getParent());
      return true;
    } catch (FileAlreadyExistsException e) {
      Files.delete(tmp);
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(tmp);
        return false;
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException a) {
        throw new IOException("cannot publish " + target + " atomically: " + a.getMessage(), a);
      }
      fsyncDirectory(target.getParent());
      return true;
    }
  }

  static void makeReadOnly(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
    } catch (UnsupportedOperationException e) {
      p.toFile().setReadOnly();
    }
  }

  /** Refuses to list through a link: deletion never leaves the store's own folders. */
  static void refuseLink(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a symbolic link; Soko never follows links inside its store: the next Soko"
          + " command moves it aside (or replace it with a real folder)");
    }
  }

  /** The real folders in {@code dir}, not links to folders. */
  static List<Path> listDirs(Path dir) throws IOException {
    refuseLink(dir);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  /** Every entry in {@code dir} that is not a real folder: files, links (to anything), FIFOs. */
  static List<Path> listFiles(Path dir) throws IOException {
    refuseLink(dir);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  /** Every entry in {@code dir}, folders included. */
  static List<Path> listAll(Path dir) throws IOException {
    refuseLink(dir);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  /** The size by {@code lstat} (of a link: the link's own), 0 when unreadable. */
  static long sizeOf(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    } catch (IOException e) {
      return 0;
    }
  }

  static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  static void deleteEmptyDir(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Not empty: another version of the model still lives there.
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover temp file is removed by the next gc.
    }
  }
}
