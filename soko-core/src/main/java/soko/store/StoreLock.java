package soko.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A short exclusive lock across threads (a {@link ReentrantLock}) and processes (a
 * {@link FileLock}, which is per process). Always taken with a timeout; never held across network
 * I/O. Correctness of blobs never depends on it: blobs are published with unique temp names and
 * first-writer-wins renames, so a file system without working locks only loses the ordering of
 * refs updates, not data.
 */
final class StoreLock {
  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private StoreLock() {}

  /** A held lock; closing releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  static Held acquire(Path lockFile, Duration timeout) throws StoreLockedException, StoreIOException {
    ReentrantLock local = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!local.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new StoreLockedException(lockFile, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreLockedException(lockFile, timeout);
    }
    FileChannel ch = null;
    try {
      Files.createDirectories(lockFile.getParent());
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
      long sleep = 2;
      while (true) {
        FileLock fl;
        try {
          fl = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          fl = null;
        }
        if (fl != null) {
          FileChannel channel = ch;
          FileLock lock = fl;
          return () -> {
            try {
              lock.release();
              channel.close();
            } catch (IOException ignored) {
              // Closing the channel releases the lock; nothing else to do.
            } finally {
              local.unlock();
            }
          };
        }
        if (System.nanoTime() > deadline) {
          throw new StoreLockedException(lockFile, timeout);
        }
        Thread.sleep(sleep);
        sleep = Math.min(sleep * 2, 50);
      }
    } catch (IOException e) {
      closeQuietly(ch);
      local.unlock();
      throw new StoreIOException("cannot lock " + lockFile, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(ch);
      local.unlock();
      throw new StoreLockedException(lockFile, timeout);
    } catch (StoreLockedException e) {
      closeQuietly(ch);
      local.unlock();
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // Already failing; the original error is what matters.
      }
    }
  }
}
