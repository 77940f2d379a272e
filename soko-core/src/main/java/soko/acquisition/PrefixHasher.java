package soko.acquisition;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * The sha256 of a file being written as ranges, computed on a thread of its own over the prefix of
 * the file that is contiguous from its start, as it grows: it reads back what the ranges wrote
 * (from the page cache). The writers hold {@code lock} while they move the frontier and notify it;
 * this waits on it. Started once; {@link #digest} or {@link #stop} ends its thread.
 */
final class PrefixHasher {
  private final String name;
  private final long size;
  private final PartialFile data;
  private final int bufferSize;
  private final Object lock;
  /** The end of the contiguous prefix; called with {@code lock} held. */
  private final LongSupplier frontier;
  private final MessageDigest md = Hashing.newSha256();
  private final Thread thread;

  // guarded by lock
  private boolean stopHashing;
  private boolean hashed;
  private @Nullable IOException hashFailure;

  PrefixHasher(String name, long size, PartialFile data, int bufferSize, Object lock, LongSupplier frontier) {
    this.name = name;
    this.size = size;
    this.data = data;
    this.bufferSize = bufferSize;
    this.lock = lock;
    this.frontier = frontier;
    this.thread = Thread.ofPlatform().daemon().name("soko-hash " + name).start(this::hashLoop);
  }

  private void hashLoop() {
    byte[] buffer = new byte[Math.max(bufferSize, Hashing.BUFFER_SIZE)];
    long pos = 0;
    try {
      while (pos < size) {
        long end;
        synchronized (lock) {
          while ((end = frontier.getAsLong()) <= pos && !stopHashing) {
            lock.wait();
          }
          if (stopHashing) {
            return;
          }
        }
        while (pos < end) {
          int n = data.read(buffer, (int) Math.min(buffer.length, end - pos), pos);
          if (n < 0) {
            throw new IOException("the partial download ended at " + pos + " bytes, before " + end);
          }
          for (int off = 0; off < n; off += Hashing.BUFFER_SIZE) {
            md.update(buffer, off, Math.min(Hashing.BUFFER_SIZE, n - off));
          }
          pos += n;
        }
      }
    } catch (IOException e) {
      synchronized (lock) {
        hashFailure = e;
      }
    } catch (InterruptedException e) {
      // stopped
    } finally {
      synchronized (lock) {
        hashed = true;
        lock.notifyAll();
      }
    }
  }

  /** Stops hashing (the attempt failed) and waits for the thread to end. */
  void stop() {
    synchronized (lock) {
      stopHashing = true;
      lock.notifyAll();
    }
    Threads.joinUninterruptibly(thread);
  }

  /** Waits for the whole file to be hashed; its digest. */
  Digest digest() throws IOException {
    Threads.joinUninterruptibly(thread);
    synchronized (lock) {
      if (hashFailure != null) {
        throw hashFailure;
      }
      if (!hashed) {
        throw new IllegalStateException("the hashing of " + name + " stopped early");
      }
    }
    return Digest.of(md.digest());
  }
}
