package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.verification.Digest;

/**
 * One attempt at receiving a file as several ranges at once, each over a connection of its own and
 * written in place into the one partial file, from one http(s) source whose strong validator is
 * recorded in the partial's {@link PartialMetadata} (schema version 2: a span per range).
 *
 * <ul>
 *   <li>Each range is asked for with {@code Range: bytes=N-M} and {@code If-Range} with the
 *       validator, and kept only from a 206 whose Content-Range is exactly those bytes of a file of
 *       the manifest's size and whose validator is the recorded one. A 200 (the server ignores
 *       ranges, or the file changed and If-Range failed), a 412, a 416, another range or another
 *       validator ends the attempt with {@link Changed}: the caller starts the file again.
 *   <li>Each connection has its own {@link Watchdog}: the stall and minimum-rate rules hold per
 *       connection. Any failure stops the other ranges and is thrown as the attempt's failure;
 *       the bytes written are kept, so the next attempt resumes each range where it stopped.
 *   <li>Progress: the bytes written per range are recorded (without fsync) at most every {@value
 *       #RECORD_EVERY_MILLIS} ms, so a killed process loses almost nothing, and fsynced with their
 *       record every {@value FileJob#CHECKPOINT_BYTES} bytes, so a power loss loses at most that.
 *       Progress events report the sum over the ranges.
 *   <li>When the manifest lists chunk digests, the ranges start on chunk boundaries and each chunk
 *       is hashed as it lands, before its last bytes count as written: a chunk whose sha256 is not
 *       the manifest's is discarded (its range's progress goes back to the chunk's start), the
 *       other ranges stop at their last whole chunk, and the attempt fails with a {@link
 *       ContentMismatchException} (kind {@code CHUNK}), which is not retry-worthy, so the source
 *       is dropped at its first bad chunk and the next source resumes every range.
 *   <li>A record rebased onto another source carries no validator: the first answer's strong
 *       validator is adopted, and every other answer must carry the same.
 *   <li>The sha256 is computed on a thread of its own over the prefix of the file that is
 *       contiguous from its start, as it grows (it reads back what the ranges wrote, from the page
 *       cache): the first range is hashed while it arrives and the others as soon as the ranges
 *       before them are complete. Only what is left when the last byte arrives is hashed after.
 * </ul>
 *
 * <p>Used by the fetching thread; it starts a virtual thread per range and one hashing thread, and
 * every one of them has ended when {@link #run} returns or throws.
 *
 * <p>About 440 lines, a third of them this description: what is left is the attempt itself (start
 * the ranges, receive each, end them together), while planning ({@link RangePlan}), per-range state
 * ({@link SpanProgress}), the record ({@link RangeRecorder}), chunk checks ({@link ChunkCheck}) and
 * hashing ({@link PrefixHasher}) live in classes of their own.
 */
final class RangedTransfer {
  static final long RECORD_EVERY_MILLIS = 20;

  /** The server stopped serving the recorded file by range: the file must start again. */
  static final class Changed extends Exception {
    Changed(String why) {
      super(why);
    }
  }

  private final ModelFile file;
  private final String name;
  private final FileJob.Source source;
  private final DownloadSettings settings;
  private final InstantSource clock;
  private final PartialFile data;
  private final Emitter emitter;
  private final Failures failures;
  private final HostSlots slots;

  private final Object lock = new Object();
  /** Guarded by {@code lock}. */
  private final SpanProgress spans;
  private final RangeRecorder recorder;
  private final List<Exception> errors = new ArrayList<>();
  private @Nullable String changed;
  private int running;
  private long transferred;
  private long startedWith;
  private Instant t0 = Instant.EPOCH;
  /** Set before the workers are stopped: an interrupt after it is ours, before it a cancellation. */
  private boolean stopping;
  /** A worker's thread was interrupted by someone else (a listener cancelling on the thread it is called on). */
  private boolean cancelledInWorker;
  /** A chunk failed its digest: the ranges keep only whole chunks. */
  private boolean badChunk;
  /** The file lists chunk digests and every range starts on a chunk boundary: each chunk is checked as it lands. */
  private final boolean checkChunks;

  RangedTransfer(ModelFile file, FileJob.Source source, DownloadSettings settings, InstantSource clock,
      PartialFiles paths, PartialFile data, Emitter emitter, Failures failures, HostSlots slots, PartialMetadata meta) {
    this.file = file;
    this.name = file.path().value();
    this.source = source;
    this.settings = settings;
    this.clock = clock;
    this.data = data;
    this.emitter = emitter;
    this.failures = failures;
    this.slots = slots;
    this.spans = new SpanProgress(meta);
    this.recorder = new RangeRecorder(lock, spans, data, paths.metadata(file.sha256()), paths.metadataTemp(file.sha256()),
        () -> running == 0 || !errors.isEmpty() || changed != null || cancelledInWorker);
    this.checkChunks = file.chunks().isPresent()
        && meta.spans().stream().allMatch(s -> s.from() % file.chunks().get().chunkSize() == 0);
  }

  /** The record as it stands: spans with their fsynced and written bytes. */
  PartialMetadata meta() {
    synchronized (lock) {
      return spans.meta();
    }
  }

  /** Bytes received over the network by this attempt. */
  long transferred() {
    synchronized (lock) {
      return transferred;
    }
  }

  /**
   * Receives every range not yet complete, at most {@code connections} at once; {@code first},
   * when present, is the open 206 answer for the first range (the one that showed the server's
   * range support), whose host slot is already taken.
   *
   * @return the sha256 of the whole file
   * @throws Changed when the server no longer serves the recorded file by range
   * @throws IOException when the partial file cannot be written or read
   */
  Digest run(int connections, Optional<HttpResponse> first)
      throws AcquisitionException, IOException, Changed {
    List<Integer> todo = new ArrayList<>();
    long have;
    synchronized (lock) {
      for (int i = 0; i < spans.count(); i++) {
        if (spans.written(i) < spans.span(i).length()) {
          todo.add(i);
        }
      }
      running = todo.size();
      have = spans.writtenSum();
      startedWith = have;
    }
    t0 = clock.instant();
    URI at = first.map(HttpResponse::uri).orElse(source.uri());
    emitter.emit(new TransferEvent.Started(name, file.size(), have, at.getHost() + (at.getPort() > 0 ? ":" + at.getPort() : "")));
    PrefixHasher hasher = new PrefixHasher(name, file.size(), data, settings.bufferSize(), lock, this::frontier);
    // At most `connections` workers, each taking the next range in file order when it is free: the
    // complete prefix (what the hash follows) then grows as the download runs.
    java.util.Queue<Integer> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(todo);
    boolean firstUsed = first.isPresent() && !todo.isEmpty() && todo.getFirst() == 0;
    if (firstUsed) {
      queue.remove(0); // the open answer is range 0's: the first worker receives it before taking others
    }
    List<Thread> workers = new ArrayList<>();
    int count = Math.min(Math.max(1, connections), todo.size());
    for (int w = 0; w < count; w++) {
      Optional<HttpResponse> mine = firstUsed && w == 0 ? first : Optional.empty();
      workers.add(Thread.ofVirtual().name("soko-range " + w + " " + name).start(() -> work(queue, mine)));
    }
    if (!firstUsed && first.isPresent()) {
      first.get().close();
      slots.release(source.uri());
    }
    boolean cancelled = false;
    try {
      recorder.recordUntilEnded();
    } catch (InterruptedException e) {
      cancelled = true;
    } finally {
      stopWorkers(workers);
    }
    synchronized (lock) {
      if (badChunk) {
        spans.keepWholeChunks(file.chunks().orElseThrow().chunkSize());
      }
      cancelled |= cancelledInWorker;
      if (!cancelled && changed == null && errors.isEmpty() && spans.frontier() < file.size()) {
        errors.add(new IllegalStateException("the ranges of " + name + " ended before the file was complete"));
      }
    }
    try {
      if (changed == null) {
        recorder.checkpoint(true);
      }
    } finally {
      if (cancelled || changed != null || !errors.isEmpty()) {
        hasher.stop();
      }
    }
    if (cancelled) {
      Thread.currentThread().interrupt();
      throw new DownloadCancelledException(name, have(), file.size(), new InterruptedException("interrupted"));
    }
    if (changed != null) {
      throw new Changed(changed);
    }
    if (!errors.isEmpty()) {
      Exception e = errors.getFirst();
      errors.stream().skip(1).forEach(e::addSuppressed);
      if (e instanceof AcquisitionException a) {
        throw a;
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("a range of " + name + " failed", e);
    }
    return hasher.digest();
  }

  /**
   * After a wrong digest: when bytes written but never fsynced by an earlier run were kept (a
   * power loss can leave them wrong), forgets them, so that a next run fetches them again.
   *
   * @return true when such bytes were dropped
   */
  boolean dropUnsyncedTails() throws IOException {
    boolean any;
    synchronized (lock) {
      any = spans.dropUnsyncedTails();
    }
    if (any) {
      recorder.write();
    }
    return any;
  }

  private long have() {
    synchronized (lock) {
      return spans.writtenSum();
    }
  }

  private void stopWorkers(List<Thread> workers) {
    synchronized (lock) {
      stopping = true;
    }
    workers.stream().filter(Thread::isAlive).forEach(Thread::interrupt);
    workers.forEach(Threads::joinUninterruptibly);
  }

  /**
   * One connection's work: range 0 from {@code first} when present, then the next range in the
   * queue until it is empty or the attempt ends.
   */
  private void work(java.util.Queue<Integer> queue, Optional<HttpResponse> first) {
    if (first.isPresent()) {
      worker(0, first);
    }
    while (true) {
      synchronized (lock) {
        if (stopping || cancelledInWorker || changed != null || !errors.isEmpty()) {
          return;
        }
      }
      Integer i = queue.poll();
      if (i == null) {
        return;
      }
      worker(i, Optional.empty());
    }
  }

  private void worker(int i, Optional<HttpResponse> first) {
    boolean slot = first.isPresent();
    try {
      if (!slot) {
        slots.acquire(source.uri());
        slot = true;
      }
      receive(i, first);
    } catch (InterruptedException e) {
      synchronized (lock) {
        cancelledInWorker |= !stopping; // else stopped because another range failed or the fetch was cancelled
      }
    } catch (Changed e) {
      synchronized (lock) {
        if (changed == null) {
          changed = e.getMessage();
        }
      }
    } catch (AcquisitionException | IOException | RuntimeException e) {
      synchronized (lock) {
        errors.add(e);
      }
    } finally {
      if (slot) {
        slots.release(source.uri());
      }
      synchronized (lock) {
        running--;
        lock.notifyAll();
      }
    }
  }

  /** Receives range {@code i} from where it stopped to its end. */
  private void receive(int i, Optional<HttpResponse> first)
      throws AcquisitionException, IOException, Changed, InterruptedException {
    PartialMetadata.Span span;
    long pos;
    Optional<String> validator;
    synchronized (lock) {
      span = spans.span(i);
      pos = span.from() + spans.written(i);
      validator = spans.meta().validator(); // the record's, or the one adopted from this source's first answer
    }
    long end = span.to() + 1;
    Watchdog watchdog = new Watchdog(settings);
    HttpResponse r = null;
    try {
      watchdog.awaitingHeaders();
      if (first.isPresent()) {
        r = first.get();
      } else {
        Transport.Request request = new Transport.Request(name, source.uri(), pos, OptionalLong.of(span.to()),
            validator);
        try {
          r = source.transport().get(request);
        } catch (TransferException e) {
          watchdog.takeTrip();
          throw e;
        } catch (IOException e) {
          Optional<Watchdog.Trip> trip = watchdog.takeTrip();
          if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
          }
          throw failures.network(source, e, trip, false, have(), true);
        }
        check(r, pos, span.to());
      }
      InputStream in = r.body();
      watchdog.receivingBody();
      byte[] buffer = new byte[settings.bufferSize()];
      ChunkCheck chunk = checkChunks ? ChunkCheck.resume(file, data, pos, buffer) : null;
      while (pos < end) {
        int want = (int) Math.min(buffer.length, (chunk != null ? chunk.end() : end) - pos);
        int n = 0;
        IOException broken = null;
        while (n < want) {
          int k;
          try {
            k = in.read(buffer, n, want - n);
          } catch (IOException e) {
            broken = e;
            break;
          }
          if (k < 0) {
            break;
          }
          watchdog.progressed(k);
          n += k;
        }
        if (n > 0) {
          data.write(buffer, n, pos);
          pos += n;
          if (chunk != null) {
            chunk.update(buffer, n);
            if (pos == chunk.end()) {
              Optional<String> bad = chunk.problem();
              if (bad.isPresent()) {
                throw badChunk(i, chunk.start(), bad.get());
              }
              chunk = pos < end ? ChunkCheck.resume(file, data, pos, buffer) : null;
            }
          }
          advanced(i, n);
        }
        if (broken != null || Thread.currentThread().isInterrupted()) {
          Optional<Watchdog.Trip> trip = watchdog.takeTrip();
          if (trip.isEmpty() && Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
          }
          throw failures.network(source, broken != null ? broken : new IOException("no data"), trip, true, have(), true);
        }
        if (n < want) {
          throw new TransferException(name, source.uri(), TransferException.Reason.TRUNCATED, OptionalInt.empty(),
              "the range " + span.from() + "-" + span.to() + " ended after " + (pos - span.from()) + " of its "
                  + span.length() + " bytes", failures.kept(have(), true), null);
        }
      }
    } finally {
      if (r != null) {
        r.close();
      }
      watchdog.idle();
      watchdog.close();
      watchdog.takeTrip();
    }
  }

  /** Checks the answer to a range request: 206, exactly the range, the recorded validator. */
  private void check(HttpResponse r, long from, long to) throws Changed, TransferException {
    int status = r.status();
    if (status == 200 || status == 412 || status == 416) {
      throw new Changed(source.uri().getHost() + " answered " + status + " to the range " + from + "-" + to
          + " (the file changed on the server, or it stopped serving ranges)");
    }
    if (status != 206) {
      throw failures.status(source, r);
    }
    Optional<String> why = RangePlan.rangeProblem(r, from, to, file.size());
    if (why.isPresent()) {
      throw new Changed(source.uri().getHost() + " " + why.get());
    }
    Optional<String> problem;
    synchronized (lock) {
      problem = spans.validatorProblem(r, clock.instant());
    }
    if (problem.isPresent()) {
      throw new Changed("the file on " + source.uri().getHost() + " " + problem.get());
    }
  }

  private void advanced(int i, int n) {
    synchronized (lock) {
      spans.advance(i, n);
      transferred += n;
      long have = spans.writtenSum();
      long elapsed = Duration.between(t0, clock.instant()).toNanos();
      long rate = elapsed > 0 ? (long) ((have - startedWith) * 1e9 / elapsed) : 0;
      Optional<Duration> eta = rate > 0
          ? Optional.of(Duration.ofMillis((long) ((file.size() - have) * 1000.0 / rate))) : Optional.empty();
      emitter.emit(new TransferEvent.Progress(name, have, file.size(), rate, eta));
      lock.notifyAll();
    }
  }

  /**
   * Range {@code i} received a chunk (from {@code chunkStart}) whose sha256 is not the manifest's:
   * its bytes are discarded (the range goes back to the chunk's start) and the source is dropped.
   */
  private ContentMismatchException badChunk(int i, long chunkStart, String problem) {
    synchronized (lock) {
      badChunk = true;
      spans.backTo(i, chunkStart);
      lock.notifyAll();
    }
    return new ContentMismatchException(name, source.uri(), ContentMismatchException.Kind.CHUNK, problem
        + "; the chunk was discarded and this source is not used again for this file", null);
  }

  /** The end of the part of the file that is contiguous from its start; with {@code lock} held. */
  private long frontier() {
    return spans.frontier();
  }
}
