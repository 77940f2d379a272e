package soko.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Empties and measures the cache root without ever leaving it: the walk does not follow links, a
 * link is removed as a link, a folder on another device (a mount point) is skipped, and every path
 * is checked to lie under the root before it is touched. A folder of {@code uploads/} that the
 * page is still receiving or importing a bundle into is kept (see {@link #UPLOAD_LOCK}).
 */
final class CacheSweeper {
  private CacheSweeper() {}

  record Usage(long total, long partialBytes, int partialCount) {}

  static Usage usage(Layout layout) throws IOException {
    Path root = layout.roots().cache();
    Path downloads = layout.downloads();
    long[] totals = new long[3];
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return new Usage(0, 0, 0);
    }
    Object rootDev = device(root);
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        return dir.equals(root) || sameDevice(rootDev, dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          totals[0] += attrs.size();
          if (file.startsWith(downloads) && Layout.isPartial(file)) {
            totals[1] += attrs.size();
            totals[2]++;
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
    return new Usage(totals[0], totals[1], (int) totals[2]);
  }

  /** A name the downloader gives an entry of the downloads folder: a sha256, then an optional suffix. */
  private static final java.util.regex.Pattern DOWNLOAD_NAME = java.util.regex.Pattern.compile("[0-9a-f]{64}(\\..*)?");

  static CacheClearReport clear(Layout layout, boolean dryRun, java.util.Set<Path> keep) throws StoreException {
    return clear(layout, dryRun, keep, false);
  }

  /**
   * @param downloadsHandled the downloader has already removed the downloads it may (under their
   *     locks): every entry of the downloads folder with a name it gives is left alone, since a
   *     download may have started since, and only it can tell
   */
  static CacheClearReport clear(Layout layout, boolean dryRun, java.util.Set<Path> keep, boolean downloadsHandled)
      throws StoreException {
    Path root = layout.roots().cache();
    Path tag = layout.cacheTag();
    Path downloads = layout.downloads();
    Path uploads = layout.uploads();
    if (Files.isSymbolicLink(root)) {
      throw new StoreConfigException("the cache root " + root + " is a symbolic link; Soko never follows links when"
          + " deleting: point --home or SOKO_HOME at the real folder");
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return new CacheClearReport(dryRun, 0, 0, 0, 0, List.of());
    }
    long[] counts = new long[4]; // files, bytes freed, partial count, partial bytes
    List<String> skipped = new ArrayList<>();
    Object rootDev;
    try {
      rootDev = device(root);
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root) && !sameDevice(rootDev, dir)) {
            skipped.add(dir + " (another file system is mounted there)");
            return FileVisitResult.SKIP_SUBTREE;
          }
          if (isBundleUpload(uploads, dir) && (keep.contains(dir) || uploadInProgress(dir))) {
            skipped.add(dir + " (an upload in progress)");
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (file.equals(tag) || keep.contains(file) || !file.normalize().startsWith(root)) {
            return FileVisitResult.CONTINUE;
          }
          if (downloadsHandled && downloads.equals(file.getParent()) && file.getFileName() != null
              && DOWNLOAD_NAME.matcher(file.getFileName().toString()).matches()) {
            return FileVisitResult.CONTINUE;
          }
          long freed = 0;
          if (attrs.isRegularFile()) {
            freed = linkCount(file) > 1 ? 0 : attrs.size();
            if (file.startsWith(downloads) && Layout.isPartial(file)) {
              counts[2]++;
              counts[3] += attrs.size();
            }
          }
          if (!dryRun) {
            try {
              Files.delete(file); // a link is deleted as a link: never its target
            } catch (NoSuchFileException gone) {
              return FileVisitResult.CONTINUE;
            }
          }
          counts[0]++;
          counts[1] += freed;
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          skipped.add(file + " (" + exc.getMessage() + ")");
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          if (!dryRun && !dir.equals(root) && dir.normalize().startsWith(root) && !layout.isCacheFolder(dir)) {
            try {
              Files.delete(dir);
            } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
              // Something was skipped inside, or another process just wrote there.
            }
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new StoreIOException("cannot clear the cache " + root, e);
    }
    return new CacheClearReport(dryRun, counts[0], counts[1], (int) counts[2], counts[3], skipped);
  }

  /** How recently changed an upload folder is left alone without probing its lock. */
  static final java.time.Duration UPLOAD_SETTLE = java.time.Duration.ofMinutes(1);

  /** The name of the lock file in a folder the page receives a bundle into. */
  static final String UPLOAD_LOCK = ".receiving";

  /** A folder the page receives a bundle into: {@code uploads/bundle-<random>}. */
  private static boolean isBundleUpload(Path uploads, Path dir) {
    return uploads.equals(dir.getParent()) && dir.getFileName().toString().startsWith("bundle-");
  }

  /**
   * Whether another process still receives or imports the bundle in {@code folder}: its receiver
   * holds an exclusive lock on the folder's {@value #UPLOAD_LOCK} file from creating the folder
   * until deleting it ({@code soko.web.BundleUpload}); a lock that can be taken was left by a
   * process that is gone. A process must not probe its own uploads this way (closing any channel
   * to a file drops the process's POSIX locks on it): it passes them in {@code keep} instead.
   * Opens the lock file for reading only, without following a link. A folder changed within the
   * last {@link #UPLOAD_SETTLE} counts as in progress without a probe: its receiver may not hold
   * the lock yet (it is taken just after the folder is made), and a process's own new upload may
   * not be in its {@code keep} yet.
   */
  private static boolean uploadInProgress(Path folder) {
    try {
      FileTime changed = Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS);
      if (changed.toMillis() > System.currentTimeMillis() - UPLOAD_SETTLE.toMillis()) {
        return true;
      }
    } catch (IOException e) {
      return false; // gone meanwhile: the walk that follows says so
    }
    Path lock = folder.resolve(UPLOAD_LOCK);
    if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      FileLock held = ch.tryLock(0, Long.MAX_VALUE, true);
      if (held == null) {
        return true;
      }
      held.release();
      return false;
    } catch (OverlappingFileLockException sameProcess) {
      return true;
    } catch (IOException e) {
      return false; // gone meanwhile, or unreadable: the walk that follows says so
    }
  }

  private static Object device(Path p) throws IOException {
    try {
      return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Files.getFileStore(p).name();
    }
  }

  private static boolean sameDevice(Object rootDev, Path dir) {
    try {
      return rootDev.equals(device(dir));
    } catch (IOException e) {
      return false;
    }
  }

  private static int linkCount(Path file) {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      return (Integer) a.get("nlink");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }
}
