package soko.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Crash-safe small-file writes (manifests, refs, records, catalog state): temp file in the same folder, fsync, atomic rename, fsync the folder. */
public final class AtomicFiles {
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code bytes}, so readers see the old or the new content, never a mix. */
  public static void replace(Path target, byte[] bytes) throws IOException {
    write(target, bytes, false, false);
  }

  /**
   * Creates {@code target} with {@code bytes}; fails with {@link FileAlreadyExistsException} if it
   * exists. With {@code ownerOnly}, the file is readable and writable by its owner only (mode 0600)
   * from the moment it exists, where the file system has POSIX permissions; elsewhere (Windows) it
   * inherits the folder's access rules.
   */
  public static void create(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
    write(target, bytes, true, ownerOnly);
  }

  private static void write(Path target, byte[] bytes, boolean mustBeNew, boolean ownerOnly) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    if (mustBeNew && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite it");
    }
    Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    FileAttribute<?>[] attrs = ownerOnly && posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (ownerOnly && posix) {
        // The umask may have removed bits but never adds any; set the mode exactly anyway.
        Files.setPosixFilePermissions(tmp, OWNER_ONLY);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  /** Makes renames in {@code dir} durable. A no-op where folders cannot be opened (Windows; NTFS journals renames). */
  public static void syncDirectory(Path dir) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException e) {
      // Windows cannot open a folder as a file; NTFS journals the rename itself.
      return;
    }
    try (ch) {
      ch.force(true);
    }
  }
}
