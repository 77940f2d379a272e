package soko.acquisition;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Records the progress of a {@link RangedTransfer}'s ranges in the partial's record as the bytes
 * land: without fsync at most every {@value RangedTransfer#RECORD_EVERY_MILLIS} ms (a killed
 * process loses almost nothing), and with the data file fsynced every {@value
 * FileJob#CHECKPOINT_BYTES} bytes (a power loss loses at most that). Used by the transfer's own
 * thread; {@code lock} guards {@code spans}.
 */
final class RangeRecorder {
  private final Object lock;
  private final SpanProgress spans;
  private final PartialFile data;
  private final Path record;
  private final Path recordTemp;
  /** Whether every range has ended or one failed; called with {@code lock} held. */
  private final BooleanSupplier ended;

  RangeRecorder(Object lock, SpanProgress spans, PartialFile data, Path record, Path recordTemp, BooleanSupplier ended) {
    this.lock = lock;
    this.spans = spans;
    this.data = data;
    this.record = record;
    this.recordTemp = recordTemp;
    this.ended = ended;
  }

  /** Writes the record as it stands, fsynced. */
  void write() throws IOException {
    PartialMetadata m;
    synchronized (lock) {
      m = spans.meta();
    }
    m.write(record, recordTemp);
  }

  /** Records the bytes written as they grow, until every range has ended or one failed. */
  void recordUntilEnded() throws InterruptedException, IOException {
    long recorded = -1;
    long forcedAt;
    long lastRecord = 0;
    synchronized (lock) {
      forcedAt = spans.doneSum();
    }
    while (true) {
      long[] snapshot;
      synchronized (lock) {
        if (ended.getAsBoolean()) {
          return;
        }
        lock.wait(RangedTransfer.RECORD_EVERY_MILLIS);
        snapshot = spans.writtenSnapshot();
      }
      long w = Arrays.stream(snapshot).sum();
      long now = System.nanoTime();
      if (w - forcedAt >= FileJob.CHECKPOINT_BYTES) {
        data.force();
        synchronized (lock) {
          spans.synced(snapshot);
        }
        write();
        forcedAt = w;
        recorded = w;
        lastRecord = now;
      } else if (w != recorded && now - lastRecord >= RangedTransfer.RECORD_EVERY_MILLIS * 1_000_000) {
        PartialMetadata m;
        synchronized (lock) {
          m = spans.metaOf(spans.doneSnapshot(), snapshot);
        }
        m.writeUnsynced(record, recordTemp);
        recorded = w;
        lastRecord = now;
      }
    }
  }

  /** fsyncs every byte written and records them; with the interrupt status cleared meanwhile (and restored). */
  void checkpoint(boolean sync) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      if (sync) {
        data.force();
        synchronized (lock) {
          spans.allSynced();
        }
      }
      write();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
