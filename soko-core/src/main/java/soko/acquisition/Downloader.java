package soko.acquisition;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import soko.events.ProgressListener;
import soko.events.TransferEvent;
import soko.internal.io.Entries;
import soko.manifest.ModelFile;
import soko.manifest.SourceUri;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Fetches model files from their http(s) sources into the cache's downloads folder, resuming,
 * retrying, failing over between sources, and verifying size and sha256 in the same pass as the
 * bytes arrive. The result is a complete file whose bytes match the manifest, still in the
 * downloads folder; the caller moves it into the store. Consent and offline mode are the caller's
 * business: this class downloads when asked.
 *
 * <h2>Per file</h2>
 *
 * <ol>
 *   <li>A verified file {@code <sha256>} left from an earlier run is re-hashed and returned.
 *   <li>Otherwise {@code <sha256>.partial} is opened and locked (in this JVM and against other
 *       processes; a second download of the same file fails at once as busy). Its bytes are kept
 *       up to the count fsynced in {@code <sha256>.json} when that record names a validator, and
 *       re-hashed; a partial that already holds every byte is verified locally, with no request.
 *   <li>The free space must cover the bytes still missing.
 *   <li>Each http(s) source is tried in manifest order, up to {@link
 *       DownloadSettings#attemptsPerSource()} times for retry-worthy failures, with doubling
 *       backoff, or after the wait a 429 or 503 asks for in Retry-After when that is longer (up to
 *       a minute; a server asking for longer is left for the next source, and the error says when
 *       to try again). A resumed request sends {@code Range: bytes=N-} and {@code If-Range} with the
 *       saved strong ETag or Last-Modified, and only for the URL the partial came from. Bytes are
 *       appended only on a 206 whose Content-Range is exactly {@code N-(size-1)/size} and whose
 *       validator is unchanged; on 200, 412, 416 or any other 206 the file restarts from zero.
 *   <li>The body is capped at the manifest's size: a longer or endless body fails, as does a
 *       Content-Length that disagrees with the manifest.
 *   <li>Redirects are followed by hand, at most {@value #MAX_REDIRECTS}, never from https to
 *       http. Soko sends no credentials, so none can leak to another host.
 * </ol>
 *
 * <p>On failure nothing is returned and no unverified bytes are ever presented as complete.
 * Bytes that can be resumed (a broken connection, a stall, a cancel) stay in the partial, fsynced
 * and recorded; bytes that proved wrong (a digest or length mismatch) are deleted.
 *
 * <h2>HTTP client</h2>
 *
 * {@link java.net.HttpURLConnection} with reads of {@link DownloadSettings#bufferSize()} (1 MiB),
 * one connection per request. Measured 2026-12 on the project's shared 2-vCPU VM: 256 MiB from
 * nginx (sendfile) on 127.0.0.1, written and hashed in one pass, both clients alternating in one
 * JVM, medians of 6 runs, two rounds: HttpURLConnection 321 and 294 MiB/s; {@code
 * java.net.http.HttpClient} (HTTP/1.1, {@code ofInputStream}, 1 MiB reads) 144 and 145 MiB/s, so
 * 2.1x slower; HttpClient with {@code -Djdk.httpclient.bufsize=1048576} 334 and 298 MiB/s against
 * 330 and 303, so equal, but that is a JVM-wide system property a library may not set. The machine
 * was loaded by other work (figures vary 2x from run to run; the ratios held). HttpURLConnection
 * also lets a watchdog abort a blocked read by closing the connection, which the stall timeout and
 * cancellation need.
 *
 * <h2>Threads and cancellation</h2>
 *
 * Thread-safe: any number of threads may fetch different files at once. Interrupting the calling
 * thread cancels a fetch within a fraction of a second, even while blocked on the network; the
 * fetch then throws {@link DownloadCancelledException} and keeps the partial. Each fetch runs on a
 * virtual thread (the caller's, or one it waits for), because a virtual thread blocked in a socket
 * read can be interrupted; progress events come from that thread (see {@link ProgressListener}). This is
 * the only class in Soko that opens network connections.
 */
public final class Downloader {
  /** The most redirects followed for one request. */
  public static final int MAX_REDIRECTS = 10;

  private final PartialFiles paths;
  private final DownloadSettings settings;
  private final InstantSource clock;
  /** Digests being fetched or removed in this JVM; {@link FileLock} only excludes other processes. */
  private final Set<Digest> active = ConcurrentHashMap.newKeySet();

  /**
   * @param downloadsFolder the cache root's {@code downloads/} folder; created when needed. Must be
   *     on the same disk as the store, so that publishing is a rename.
   * @param clock for transfer rates and estimated times
   */
  public Downloader(Path downloadsFolder, DownloadSettings settings, InstantSource clock) {
    this.paths = new PartialFiles(Objects.requireNonNull(downloadsFolder, "downloadsFolder"));
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public DownloadSettings settings() {
    return settings;
  }

  /**
   * Fetches one file, resuming a partial download of it, and returns the complete file {@code
   * <downloads>/<sha256>} whose size and sha256 match {@code file}. Emits the events of one file as
   * described on {@link TransferEvent}, ending with exactly one Done or Failed.
   *
   * @throws IllegalArgumentException when {@code file} has no http or https source
   * @throws AcquisitionException with a one-line message; see the subclasses
   */
  public Path fetch(ModelFile file, ProgressListener listener) throws AcquisitionException {
    List<URI> sources = httpSources(file);
    Emitter emitter = new Emitter(Objects.requireNonNull(listener, "listener"));
    if (Thread.currentThread().isVirtual()) {
      return fetchHere(file, sources, emitter);
    }
    // The watchdog aborts a blocked socket read by interrupting the fetching thread, which works
    // only on a virtual thread, so a platform caller waits for one.
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread worker = Thread.ofVirtual().name("soko-fetch").start(() -> {
      try {
        outcome.set(fetchHere(file, sources, emitter));
      } catch (AcquisitionException | RuntimeException | Error e) {
        outcome.set(e);
      }
    });
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        worker.interrupt(); // cancel; the worker saves the partial and ends
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return switch (outcome.get()) {
      case Path p -> p;
      case AcquisitionException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      case null, default -> throw new IllegalStateException("the download thread ended without a result");
    };
  }

  private Path fetchHere(ModelFile file, List<URI> sources, Emitter emitter) throws AcquisitionException {
    String name = file.path().value();
    try {
      Fetched f = fetchOrThrow(file, sources, emitter);
      emitter.emit(new TransferEvent.Done(name, file.sha256().toString(), file.size(), f.transferred()));
      return f.path();
    } catch (AcquisitionException e) {
      emitter.emit(new TransferEvent.Failed(name, e.getMessage()));
      throw e;
    }
  }

  /**
   * Fetches several files (a model's), at most {@link DownloadSettings#parallelism()} at a time, on
   * virtual threads of its own that end before this returns. Files with the same sha256 are fetched once
   * and share one returned path.
   *
   * <p>When one file fails, the others are cancelled (their partials are kept) and the first
   * failure is thrown, with the other non-cancellation failures suppressed. Interrupting the calling
   * thread cancels them all.
   *
   * @return the verified paths, in the order of {@code files}
   */
  public List<Path> fetchAll(List<ModelFile> files, ProgressListener listener) throws AcquisitionException {
    Map<Digest, ModelFile> unique = new LinkedHashMap<>();
    for (ModelFile f : files) {
      httpSources(f);
      unique.putIfAbsent(f.sha256(), f);
    }
    if (unique.isEmpty()) {
      return List.of();
    }
    int threads = Math.min(settings.parallelism(), unique.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofVirtual().name("soko-download-", 1).factory());
    CompletionService<Path> done = new ExecutorCompletionService<>(pool);
    Map<Future<Path>, ModelFile> futures = new LinkedHashMap<>();
    for (ModelFile f : unique.values()) {
      futures.put(done.submit(() -> fetch(f, listener)), f);
    }
    Map<Digest, Path> results = new LinkedHashMap<>();
    List<Throwable> failures = new ArrayList<>();
    boolean interrupted = false;
    try {
      for (int i = 0; i < futures.size(); i++) {
        Future<Path> next;
        try {
          next = done.take();
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
        try {
          results.put(futures.get(next).sha256(), next.get());
        } catch (CancellationException e) {
          // cancelled after another file failed
        } catch (ExecutionException e) {
          if (failures.isEmpty()) {
            futures.keySet().forEach(f -> f.cancel(true)); // the others stop and keep their partials
          }
          if (failures.isEmpty() || !(e.getCause() instanceof DownloadCancelledException)) {
            failures.add(e.getCause());
          }
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
    } finally {
      // Cancelled futures complete at once; wait for their threads, so partials are saved and unlocked.
      futures.keySet().forEach(f -> f.cancel(true));
      pool.shutdownNow();
      awaitQuietly(pool);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      ModelFile first = unique.values().stream().filter(f -> !results.containsKey(f.sha256())).findFirst()
          .orElse(unique.values().iterator().next());
      throw new DownloadCancelledException(first.path().value(), partialBytes(first), first.size(),
          new InterruptedException("interrupted"));
    }
    if (!failures.isEmpty()) {
      Throwable first = failures.getFirst();
      failures.stream().skip(1).forEach(first::addSuppressed);
      switch (first) {
        case AcquisitionException a -> throw a;
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException("unexpected failure: " + first, first);
      }
    }
    return files.stream().map(f -> results.get(f.sha256())).toList();
  }

  private static void awaitQuietly(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private record Fetched(Path path, long transferred) {}

  private Fetched fetchOrThrow(ModelFile file, List<URI> sources, Emitter emitter) throws AcquisitionException {
    String name = file.path().value();
    Digest d = file.sha256();
    Path complete = paths.complete(d);
    Path partial = paths.partial(d);
    if (!active.add(d)) {
      throw DownloadsFolderException.busy(name, partial);
    }
    try {
      // Nothing Soko did not create is written, read as its own, or followed: a link or a special
      // file where the folder or one of this file's entries belongs is moved aside first.
      setAside(paths.folder(), true, name, emitter);
      try {
        Files.createDirectories(paths.folder());
      } catch (IOException e) {
        throw DownloadsFolderException.io(name, paths.folder(), "create the downloads folder", e);
      }
      for (Path entry : List.of(complete, partial, paths.metadata(d), paths.metadataTemp(d))) {
        setAside(entry, false, name, emitter);
      }
      if (Files.isRegularFile(complete, LinkOption.NOFOLLOW_LINKS)) {
        emitter.emit(new TransferEvent.Verifying(name, file.size()));
        try {
          Hashing.Measured m = Hashing.sha256(complete);
          if (m.size() == file.size() && m.digest().equals(d)) {
            return new Fetched(complete, 0);
          }
          Files.delete(complete);
        } catch (IOException e) {
          throw DownloadsFolderException.io(name, complete, "verify the downloaded file", e);
        }
      }
      FileJob job;
      boolean empty = false;
      try (PartialFile data = PartialFile.open(partial)) {
        FileLock lock = data.tryLock().orElseThrow(() -> DownloadsFolderException.busy(name, partial));
        try {
          job = new FileJob(file, settings, clock, paths, emitter, data);
          job.run(sources);
        } catch (AcquisitionException e) {
          empty = !(e instanceof DownloadsFolderException f && f.busy()) && data.size() == 0;
          throw e;
        } finally {
          releaseQuietly(lock);
        }
      } catch (IOException e) {
        throw DownloadsFolderException.io(name, partial, "open the partial download", e);
      } finally {
        if (empty) {
          deleteQuietly(partial); // nothing to resume: leave no empty file behind
        }
      }
      // Moved after the channel is closed: Windows cannot rename an open file.
      try {
        Files.move(partial, complete, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        PartialFiles.syncFolder(paths.folder());
        Files.deleteIfExists(paths.metadata(d));
      } catch (IOException e) {
        throw DownloadsFolderException.io(name, complete, "move the verified download to", e);
      }
      return new Fetched(complete, job.transferred());
    } finally {
      active.remove(d);
    }
  }

  /**
   * Moves {@code entry} into the cache's quarantine folder when something other than what Soko
   * keeps there stands at its name (a link, a special file, a file with other hard links; for
   * {@code folder}, anything but a real folder), and says so in a {@link TransferEvent.Notice}.
   */
  private void setAside(Path entry, boolean folder, String name, Emitter emitter) throws DownloadsFolderException {
    try {
      Optional<String> problem = folder ? Entries.folderProblem(entry) : Entries.fileProblem(entry);
      if (problem.isEmpty()) {
        return;
      }
      Path moved;
      try {
        moved = Entries.moveAside(entry, paths.quarantine(), clock.instant());
      } catch (NoSuchFileException gone) {
        return; // moved or removed meanwhile by another fetch or a cache clear
      }
      emitter.emit(new TransferEvent.Notice(name, entry + ": " + problem.get() + "; Soko moved it aside to " + moved
          + " without following it"));
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, entry, "move aside the foreign entry", e);
    }
  }

  /** Closing the file releases the lock anyway; release() may fail when the thread is interrupted. */
  private static void releaseQuietly(FileLock lock) {
    try {
      lock.release();
    } catch (IOException ignored) {
      // released by close
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // an empty leftover is listed by partials() and removed by removePartials()
    }
  }

  private static List<URI> httpSources(ModelFile file) {
    List<URI> out = file.sources().stream().filter(s -> s.kind() == SourceUri.Kind.HTTP).map(SourceUri::uri).toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file.path() + " has no http or https source");
    }
    return out;
  }

  /**
   * Bytes of {@code file} already present that a fetch would keep rather than download again: the
   * whole size when a verified or complete-length file is waiting, the recorded resumable prefix of
   * a partial download from one of the file's sources, else 0. No hashing: the figure is for
   * consent dialogs ("X MB left to download"); a fetch still verifies every byte.
   */
  public long partialBytes(ModelFile file) {
    Digest d = file.sha256();
    try {
      Path complete = paths.complete(d);
      if (Files.isRegularFile(complete, LinkOption.NOFOLLOW_LINKS) && Files.size(complete) == file.size()) {
        return file.size();
      }
      Path partial = paths.partial(d);
      if (!Files.isRegularFile(partial, LinkOption.NOFOLLOW_LINKS)) {
        return 0;
      }
      long length = Files.size(partial);
      if (length == file.size()) {
        return length;
      }
      Set<URI> urls = Set.copyOf(file.sources().stream().map(SourceUri::uri).toList());
      return PartialMetadata.read(paths.metadata(d))
          .filter(m -> m.describes(file) && m.validator().isPresent() && urls.contains(m.url()) && length < file.size())
          .map(m -> Math.min(length, m.bytes()))
          .orElse(0L);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * What the downloads folder holds, by sha256, sorted by digest. Names that are not Soko's are
   * ignored; links are not followed.
   */
  public List<Partial> partials() throws DownloadsFolderException {
    Map<Digest, List<Path>> groups = new TreeMap<>((a, b) -> a.hex().compareTo(b.hex()));
    if (!Files.isDirectory(paths.folder(), LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(paths.folder())) {
      for (Path p : dir) {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        PartialFiles.owner(p.getFileName().toString())
            .ifPresent(d -> groups.computeIfAbsent(d, k -> new ArrayList<>()).add(p));
      }
    } catch (IOException e) {
      throw DownloadsFolderException.io("downloads", paths.folder(), "list", e);
    }
    List<Partial> out = new ArrayList<>();
    groups.forEach((d, files) -> out.add(describe(d, files)));
    return List.copyOf(out);
  }

  private Partial describe(Digest d, List<Path> files) {
    files.sort(null);
    Path complete = paths.complete(d);
    boolean isComplete = files.contains(complete);
    Path data = isComplete ? complete : paths.partial(d);
    long bytes;
    try {
      bytes = files.contains(data) ? Files.size(data) : 0;
    } catch (IOException e) {
      bytes = 0;
    }
    Optional<PartialMetadata> meta = PartialMetadata.read(paths.metadata(d)).filter(m -> m.sha256().equals(d));
    OptionalLong expected = isComplete ? OptionalLong.of(bytes)
        : meta.map(m -> OptionalLong.of(m.size())).orElse(OptionalLong.empty());
    return new Partial(d, bytes, expected, meta.map(PartialMetadata::url), isComplete, files);
  }

  /**
   * Deletes everything the downloads folder holds for Soko (partials, their records, verified files
   * not yet published), except downloads running now, which are skipped. Never touches other names.
   *
   * @return what was removed, for the caller to report
   */
  public List<Partial> removePartials() throws DownloadsFolderException {
    List<Partial> removed = new ArrayList<>();
    for (Partial p : partials()) {
      if (removePartial(p.sha256()).isPresent()) {
        removed.add(p);
      }
    }
    return List.copyOf(removed);
  }

  /**
   * Deletes what the downloads folder holds for one sha256, unless a download of it is running.
   *
   * @return what was removed, or empty when there was nothing or it is in use
   */
  public Optional<Partial> removePartial(Digest sha256) throws DownloadsFolderException {
    if (!active.add(sha256)) {
      return Optional.empty();
    }
    try {
      Optional<Partial> found = partials().stream().filter(p -> p.sha256().equals(sha256)).findFirst();
      if (found.isEmpty() || busyElsewhere(paths.partial(sha256))) {
        return Optional.empty();
      }
      for (Path f : found.get().files()) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw DownloadsFolderException.io(sha256.toString(), f, "delete", e);
        }
      }
      PartialFiles.syncFolder(paths.folder());
      return found;
    } finally {
      active.remove(sha256);
    }
  }

  /** True when another process holds the partial's lock, i.e. is downloading it. */
  private static boolean busyElsewhere(Path partial) {
    try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (NoSuchFileException e) {
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
