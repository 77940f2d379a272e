package soko.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * What is at a path inside Soko's own roots, read without following links, and moving a wrong
 * entry aside. Soko writes into a folder entry only when it is a real folder, and into a file
 * entry only when it is a regular file with no other hard link: a symbolic link, a FIFO, a device
 * or a second name of another file planted where Soko expects its own file would otherwise make
 * Soko write outside its roots.
 */
public final class Entries {
  private Entries() {}

  /**
   * Why {@code file} cannot be used as a file of Soko's own, or empty when it is absent or a
   * regular file with a single name. Never follows a link.
   */
  public static Optional<String> fileProblem(Path file) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!a.isRegularFile()) {
      return Optional.of(kind(a) + " stands where Soko keeps a file of its own");
    }
    long links = linkCount(file);
    if (links > 1) {
      return Optional.of("the file has " + links + " names (hard links), so writing it would change another file");
    }
    return Optional.empty();
  }

  /**
   * Why {@code dir} cannot be used as a folder of Soko's own, or empty when it is absent or a real
   * folder. Never follows a link.
   */
  public static Optional<String> folderProblem(Path dir) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return a.isDirectory() ? Optional.empty() : Optional.of(kind(a) + " stands where Soko keeps a folder of its own");
  }

  /**
   * Moves the entry {@code entry} itself (a link is moved as a link, never its target) into
   * {@code quarantine}, under its name plus the time, and returns where it went.
   */
  public static Path moveAside(Path entry, Path quarantine, Instant now) throws IOException {
    Files.createDirectories(quarantine);
    if (folderProblem(quarantine).isPresent()) {
      throw new IOException(quarantine + " is not a real folder; Soko never follows links inside its roots:"
          + " remove it");
    }
    Path target = quarantine.resolve(entry.getFileName() + "." + now.toEpochMilli());
    for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
      target = quarantine.resolve(entry.getFileName() + "." + now.toEpochMilli() + "-" + i);
    }
    try {
      Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      // Another file system: a link is copied as a link, never followed.
      Files.move(entry, target, LinkOption.NOFOLLOW_LINKS);
    }
    AtomicFiles.syncDirectory(quarantine);
    return target;
  }

  /** The number of names of a regular file; 1 where the file system does not say. */
  private static long linkCount(Path file) throws IOException {
    try {
      Object n = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      return n instanceof Number num ? num.longValue() : 1;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }

  private static String kind(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (a.isDirectory()) {
      return "a folder";
    }
    if (a.isRegularFile()) {
      return "a file";
    }
    return "a special file (FIFO, socket or device)";
  }
}
