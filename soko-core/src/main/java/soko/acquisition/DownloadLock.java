package soko.acquisition;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive use of one sha256 in the downloads folder, across threads and processes, held from
 * before its partial file is opened until its verified file is published: the lock file {@code
 * <sha256>.lock} (see {@link PartialFiles}), locked with a {@link FileLock}.
 *
 * <p>A {@link FileLock} belongs to the whole JVM, and on POSIX systems closing any channel of a
 * file drops every lock this process holds on it. So inside one JVM the holders take turns on a
 * {@link ReentrantLock} per lock file first, and only the thread holding that ever opens the file:
 * no second channel is opened and closed beside a held lock. The map of those locks is static
 * for that reason (two Downloaders of one JVM on one folder must exclude each other); it keeps one
 * small entry per sha256 downloaded by the process.
 *
 * <p>Waiting polls, so that it can report (see {@link Waiter}) and be cancelled by an interrupt.
 * The lock is never held by a thread that waits for another download lock, so there is no cycle.
 */
final class DownloadLock implements AutoCloseable {
  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
  private static final Duration POLL = Duration.ofMillis(100);

  /** Told, from time to time, how long the caller has waited; may throw to stop waiting. */
  @FunctionalInterface
  interface Waiter {
    void waiting(Duration waited) throws DownloadCancelledException;
  }

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private DownloadLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, waiting for as long as another thread or process holds it.
   *
   * @param cancelled what to throw when the caller is interrupted while waiting
   * @throws IOException when the lock file cannot be created or locked
   */
  static DownloadLock acquire(Path lockFile, Waiter waiter, java.util.function.Function<InterruptedException,
      DownloadCancelledException> cancelled) throws IOException, DownloadCancelledException {
    ReentrantLock local = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
    long start = System.nanoTime();
    try {
      while (!local.tryLock(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        waiter.waiting(Duration.ofNanos(System.nanoTime() - start));
      }
    } catch (InterruptedException e) {
      throw cancelled.apply(e);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      while (true) {
        FileLock fl = ch.tryLock();
        if (fl != null) {
          return new DownloadLock(local, ch, fl);
        }
        waiter.waiting(Duration.ofNanos(System.nanoTime() - start));
        Thread.sleep(POLL);
      }
    } catch (InterruptedException e) {
      closeQuietly(ch);
      local.unlock();
      throw cancelled.apply(e);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      local.unlock();
      throw cancelled.apply(new InterruptedException("interrupted while locking " + lockFile));
    } catch (IOException | DownloadCancelledException | RuntimeException e) {
      closeQuietly(ch);
      local.unlock();
      throw e;
    }
  }

  /**
   * Whether another thread or process holds the lock of {@code lockFile} right now (a missing
   * lock file is not held). Never blocks; never opens the file while this JVM holds it.
   */
  static boolean heldElsewhere(Path lockFile) {
    ReentrantLock local = IN_JVM.get(lockFile.toAbsolutePath().normalize());
    if (local != null && local.isLocked()) {
      return true;
    }
    if (!java.nio.file.Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Optional<DownloadLock> mine = tryAcquire(lockFile, false);
    mine.ifPresent(DownloadLock::close);
    return mine.isEmpty();
  }

  /**
   * The lock if nobody holds it, else empty; never waits.
   *
   * @param create whether to create a missing lock file (else a missing one gives empty)
   */
  static Optional<DownloadLock> tryAcquire(Path lockFile, boolean create) {
    ReentrantLock local = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
    if (!local.tryLock()) {
      return Optional.empty();
    }
    FileChannel ch = null;
    try {
      ch = create
          ? FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
          : FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      FileLock fl;
      try {
        fl = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        fl = null;
      }
      if (fl != null) {
        return Optional.of(new DownloadLock(local, ch, fl));
      }
    } catch (NoSuchFileException e) {
      // No lock file: nobody downloads this sha256, and there is nothing to hold.
    } catch (IOException e) {
      // Unreadable or not a file (moved aside before use): treated as not available.
    }
    closeQuietly(ch);
    local.unlock();
    return Optional.empty();
  }

  /** Releases the lock. Never throws; closing the channel releases the file lock in any case. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException | RuntimeException ignored) {
      // released by close below
    }
    closeQuietly(channel);
    local.unlock();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing held through it any more
      }
    }
  }
}
