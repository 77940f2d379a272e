package soko.store;

import soko.internal.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Crash-safe file writing: temp file in the same folder, fsync, atomic rename, fsync of the folder. */
final class Files2 {
  private Files2() {}

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
    } catch (java.nio.file.FileAlreadyExistsException e) {
      Files.delete(tmp);
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(target)) {
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
}
