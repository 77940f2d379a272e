package soko.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import soko.internal.io.AtomicFiles;
import soko.verification.Digest;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/**
 * The staging folder of bundle reads: a blob is streamed to {@code bundle-<hex>.<pid>.part} while
 * hashed, and renamed to {@code bundle-<hex>} only if it matches its digest; part files of
 * processes that are gone are deleted. Several processes may stage into one folder at once.
 */
final class BundleStaging {
  static final String STAGED_PREFIX = "bundle-";
  private static final String PART = ".part";
  static final int BUFFER = 1 << 20;

  private final Path staging;
  private final String label;

  BundleStaging(Path staging, String label) {
    this.staging = staging;
    this.label = label;
  }

  /** The verified copy of {@code d}, once staged. */
  Path target(Digest d) {
    return staging.resolve(STAGED_PREFIX + d.hex());
  }

  /** Deletes a staged file; one that cannot be deleted is left for gc, which removes staged files a day old. */
  static void discard(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // left for gc
    }
  }

  static boolean isStaged(Path target, long size) {
    try {
      BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() && a.size() == size;
    } catch (IOException e) {
      return false;
    }
  }

  /** Streams the current entry to a part file, hashing it; keeps it only if it matches {@code d}. */
  void stage(TarReader tar, TarReader.Entry e, Digest d, Path target)
      throws BundleException, IntegrityException, IOException {
    Path part = staging.resolve(STAGED_PREFIX + d.hex() + "." + ProcessHandle.current().pid() + PART);
    MessageDigest md = Hashing.newSha256();
    byte[] buf = new byte[BUFFER];
    long total = 0;
    try {
      try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        int n;
        while ((n = tar.read(buf, 0, buf.length)) >= 0) {
          md.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            out.write(bb);
          }
          total += n;
        }
        Digest actual = Digest.of(md.digest());
        if (!actual.equals(d) || total != e.size()) {
          throw new IntegrityException(label + ": " + e.name(), d, e.size(), actual, total,
              "the bundle is damaged or was altered: export it again");
        }
        out.force(true);
      }
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        // another import staged the same verified bytes meanwhile
      }
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Deletes part files of processes that are gone (a kill mid-blob). */
  void cleanAbandonedParts() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging, STAGED_PREFIX + "*" + PART)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        String[] parts = n.substring(0, n.length() - PART.length()).split("\\.");
        if (parts.length != 2) {
          continue;
        }
        try {
          long pid = Long.parseLong(parts[1]);
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && pid != ProcessHandle.current().pid()) {
            continue;
          }
          Files.deleteIfExists(p);
        } catch (NumberFormatException notOurs) {
          // not a part file this class wrote
        }
      }
    }
    AtomicFiles.syncDirectory(staging);
  }
}
