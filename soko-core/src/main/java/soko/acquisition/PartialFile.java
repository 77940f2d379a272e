package soko.acquisition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The bytes of one download in progress, in the downloads folder.
 *
 * <ul>
 *   <li>Opened with {@code O_NOFOLLOW} (and created when absent): a symbolic link planted at its
 *       name is never followed, so a download can never write outside the cache. The caller moves
 *       any entry that is not a plain regular file aside before opening (see {@code Entries}).
 *   <li>Immune to interrupts: a fetch is cancelled by interrupting its thread, and an interrupt
 *       closes a {@link java.nio.channels.FileChannel} in the middle of a write. An asynchronous
 *       channel is never closed by an interrupt; each operation here waits for its completion, and
 *       an interrupt that arrives meanwhile is kept for the caller to see afterwards.
 *   <li>All reads and writes are positional.
 * </ul>
 *
 * <p>Not thread-safe: one fetch uses it. Close exactly once; closing releases the lock.
 */
final class PartialFile implements AutoCloseable {
  private final Path path;
  private final AsynchronousFileChannel channel;

  private PartialFile(Path path, AsynchronousFileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Opens (creating if absent) the regular file at {@code path}, refusing to follow a link. */
  static PartialFile open(Path path) throws IOException {
    return new PartialFile(path, AsynchronousFileChannel.open(path, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), null));
  }

  Path path() {
    return path;
  }

  /**
   * Locks the file against other processes, or empty when another process holds it (a lock held
   * in this JVM also counts as held).
   */
  Optional<FileLock> tryLock() throws IOException {
    try {
      return Optional.ofNullable(channel.tryLock());
    } catch (OverlappingFileLockException e) {
      return Optional.empty();
    }
  }

  long size() throws IOException {
    return channel.size();
  }

  /** Shortens the file to {@code length} bytes (a longer length changes nothing). */
  void truncate(long length) throws IOException {
    channel.truncate(length);
  }

  /** Writes {@code n} bytes of {@code buffer} at {@code position}. */
  void write(byte[] buffer, int n, long position) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
    long at = position;
    while (b.hasRemaining()) {
      at += await(channel.write(b, at));
    }
  }

  /** Reads up to {@code n} bytes at {@code position} into the start of {@code buffer}; -1 at the end. */
  int read(byte[] buffer, int n, long position) throws IOException {
    return await(channel.read(ByteBuffer.wrap(buffer, 0, n), position));
  }

  /** Makes every byte written so far durable. */
  void force() throws IOException {
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Waits for an operation to complete; an interrupt meanwhile is restored afterwards, never lost. */
  private static int await(Future<Integer> op) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return op.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
