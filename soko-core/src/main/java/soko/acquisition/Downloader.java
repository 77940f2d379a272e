package soko.acquisition;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import soko.events.ProgressListener;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.manifest.SourceUri;
import soko.store.StoreException;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * The one downloader: fetches model files from their http(s) mirrors and registry blobs (each
 * through its {@link Transport}) into the cache's downloads folder, resuming, retrying, failing
 * over between sources, verifying size and sha256 in the same pass as the bytes arrive, and
 * publishing the verified file through a {@link Destination} (the store). Every source gets the
 * same guarantees. Consent and offline mode are the caller's business: this class downloads when
 * asked.
 *
 * <h2>Per file</h2>
 *
 * <ol>
 *   <li>The download lock {@code <sha256>.lock} is taken (see {@link DownloadLock}). Another
 *       download of the same file, in this or another process, is waited for, with a {@link
 *       TransferEvent.Notice} now and then; then, when the destination already holds the file, it
 *       is done without a request.
 *   <li>A verified file {@code <sha256>} left from an earlier run is re-hashed and used.
 *   <li>Otherwise {@code <sha256>.partial} is opened. Its bytes are kept when some source can
 *       continue them: a URL whose strong ETag or Last-Modified is recorded in {@code <sha256>.json},
 *       or any registry blob (its digest is its validator). They are re-hashed; a partial that
 *       already holds every byte is verified locally, with no request.
 *   <li>The free space must cover the bytes still missing.
 *   <li>Each source is tried in manifest order, up to {@link DownloadSettings#attemptsPerSource()}
 *       times for retry-worthy failures, with doubling backoff, or after the wait a 429 or 503 asks
 *       for in Retry-After when that is longer (up to a minute; a server asking for longer is left
 *       for the next source, and the error says when to try again). A resumed request sends
 *       {@code Range: bytes=N-} (and, to a URL, {@code If-Range} with the saved validator). Bytes
 *       are appended only on a 206 whose Content-Range is exactly {@code N-(size-1)/size} and whose
 *       validator is unchanged; on 200, 412, 416 or any other 206 the file restarts from zero.
 *   <li>The body is capped at the manifest's size: a longer or endless body fails, as does a
 *       Content-Length that disagrees with the manifest. A body that stalls (no byte for {@link
 *       DownloadSettings#stallTimeout()}) or crawls (under {@link DownloadSettings#minBytesPerSecond()}
 *       over a whole window) is abandoned and retried, as is a response head that is not complete
 *       by its deadline.
 *   <li>Redirects follow the one {@link Redirects} policy.
 *   <li>The bytes are fsynced every {@value FileJob#CHECKPOINT_BYTES} bytes with their record, and
 *       the verified file is published, all under the lock.
 * </ol>
 *
 * <p>On failure nothing is returned and no unverified bytes are ever presented as complete.
 * Bytes that can be resumed (a broken connection, a stall, a cancel) stay in the partial, fsynced
 * and recorded; bytes that proved wrong (a digest or length mismatch) are deleted.
 *
 * <h2>Ranges</h2>
 *
 * A file of at least twice {@link DownloadSettings#minRangeBytes()} from an http(s) mirror is
 * received as up to {@link DownloadSettings#connections()} ranges at once, each over a connection
 * of its own and written in place into the one partial file ({@link RangedTransfer}), when the
 * mirror answers a request for the first range with a 206 of exactly that range and a strong
 * validator (a strong ETag, or a Last-Modified a minute older than its Date). A mirror that
 * answers 200 (it ignores ranges) is read from that answer as one stream; one without a strong
 * validator gets one connection. {@link PartialMetadata} (version 2) records the progress of each
 * range, so a killed or failed download resumes each range where it stopped. A mirror whose file
 * changes between ranges (another validator, or a 200 to {@code If-Range}) makes the file start
 * again; when it happens twice, over one connection. A 429 or 503 to a range halves the
 * connections of the next attempt, after the wait its Retry-After asks for; at most {@value
 * HostSlots#PER_HOST} range connections go to one host at once. Registry blobs and files under
 * the threshold come as one stream.
 *
 * <h2>Threads and cancellation</h2>
 *
 * Thread-safe: any number of threads may fetch files at once. Interrupting the calling thread
 * cancels a fetch within a fraction of a second, even while blocked on the network or waiting for
 * another download; the fetch then throws {@link DownloadCancelledException} and keeps the
 * partial. Each fetch runs on a virtual thread (the caller's, or one it waits for), because a
 * virtual thread blocked in a socket read can be interrupted; progress events come from that
 * thread (see {@link ProgressListener}).
 */
public final class Downloader {
  /** The most redirects followed for one request. */
  public static final int MAX_REDIRECTS = Redirects.MAX_REDIRECTS;
  private final PartialFiles paths;
  private final DownloadSettings settings;
  private final Map<SourceUri.Kind, Transport> transports;
  private final DownloadsFolder folder;

  /**
   * A downloader for http(s) sources only, its connections made with {@code settings.http()}.
   *
   * @param downloadsFolder the cache root's {@code downloads/} folder; created when needed. Must be
   *     on the same disk as the store, so that publishing is a rename.
   * @param settings timeouts, retries, parallelism, connections, and the http settings of the connector
   * @param clock for transfer rates and estimated times
   */
  public Downloader(Path downloadsFolder, DownloadSettings settings, InstantSource clock) {
    this(downloadsFolder, settings, clock, Map.of(SourceUri.Kind.HTTP, http(new Connector(settings.http()), settings)));
  }

  /**
   * A downloader with a transport for each kind of source it fetches ({@code HTTP}, {@code OCI}).
   *
   * @param downloadsFolder the cache root's {@code downloads/} folder; created when needed, on the
   *     same disk as the store
   * @param settings timeouts, retries, parallelism and connections
   * @param clock for transfer rates and estimated times
   * @param transports the transport of each kind of source; a source of another kind is skipped
   * @throws IllegalArgumentException when a transport is given for local ({@code BUNDLED} or {@code FILE}) sources
   * @throws NullPointerException when {@code downloadsFolder}, {@code settings} or {@code clock} is null
   */
  public Downloader(Path downloadsFolder, DownloadSettings settings, InstantSource clock,
      Map<SourceUri.Kind, Transport> transports) {
    this.paths = new PartialFiles(Objects.requireNonNull(downloadsFolder, "downloadsFolder"));
    this.settings = Objects.requireNonNull(settings, "settings");
    this.folder = new DownloadsFolder(paths, this.settings, Objects.requireNonNull(clock, "clock"), new HostSlots());
    this.transports = new EnumMap<>(SourceUri.Kind.class);
    transports.forEach((kind, t) -> {
      if (kind == SourceUri.Kind.BUNDLED || kind == SourceUri.Kind.FILE) {
        throw new IllegalArgumentException(kind + " sources are local: they need no transport");
      }
      this.transports.put(kind, t);
    });
  }

  /**
   * The transport for http(s) mirrors, with the body read timeout behind the stall watchdog.
   *
   * @param connector the connector every request goes through (proxies, TLS, redirects)
   * @param settings the stall and read timeouts to use
   * @return the transport
   */
  public static Transport http(Connector connector, DownloadSettings settings) {
    return new HttpTransport(connector, settings.stallTimeout().plus(settings.readTimeout()));
  }

  /**
   * The settings this downloader was made with.
   *
   * @return the settings
   */
  public DownloadSettings settings() {
    return settings;
  }

  /**
   * True when at least one source of {@code file} has a transport here.
   *
   * @param file a manifest's file
   * @return false when it has only local sources, or sources of kinds this downloader has no transport for
   */
  public boolean canFetch(ModelFile file) {
    return !sources(file).isEmpty();
  }

  private List<FileJob.Source> sources(ModelFile file) {
    List<FileJob.Source> out = new ArrayList<>();
    for (SourceUri s : file.sources()) {
      Transport t = transports.get(s.kind());
      if (t != null) {
        out.add(new FileJob.Source(s.uri(), t));
      }
    }
    return out;
  }

  private List<FileJob.Source> requireSources(ModelFile file) {
    List<FileJob.Source> out = sources(file);
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file.path() + " has no source this downloader can fetch (it fetches "
          + transports.keySet() + ")");
    }
    return out;
  }

  /**
   * Fetches one file, resuming a partial download of it, and returns the complete file {@code
   * <downloads>/<sha256>} whose size and sha256 match {@code file}, for the caller to move. Emits
   * the events of one file as described on {@link TransferEvent}, ending with exactly one Done or
   * Failed.
   *
   * @param file the file to fetch
   * @param listener told of progress, from the fetching thread
   * @return the verified file in the downloads folder
   * @throws IllegalArgumentException when {@code file} has no source this downloader can fetch
   * @throws AcquisitionException with a one-line message; see the subclasses
   */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  public Path fetch(ModelFile file, ProgressListener listener) throws AcquisitionException {
    List<FileJob.Source> sources = requireSources(file);
    Emitter emitter = new Emitter(Objects.requireNonNull(listener, "listener"));
    try {
      return Parallel.onVirtualThread(() -> {
        try {
          try (DownloadLock lock = folder.lock(file, emitter)) {
            DownloadsFolder.Fetched f = folder.fetchLocked(file, sources, emitter);
            emitter.emit(new TransferEvent.Done(file.path().value(), file.sha256().toString(), file.size(), f.transferred()));
            return f.path();
          }
        } catch (AcquisitionException e) {
          emitter.emit(new TransferEvent.Failed(file.path().value(), e.getMessage()));
          throw e;
        }
      });
    } catch (StoreException | IntegrityException e) {
      throw new IllegalStateException("a fetch without a destination cannot fail in the store", e);
    }
  }

  /**
   * Fetches several files (a model's), at most {@link DownloadSettings#parallelism()} at a time,
   * and returns their verified paths in the order of {@code files}; files with the same sha256 are
   * fetched once and share one path. See {@link #fetchInto} for failures and cancellation.
   *
   * @param files the files to fetch; may be empty
   * @param listener told of progress, from the fetching threads
   * @return the verified files, one per element of {@code files}
   * @throws IllegalArgumentException when a file has no source this downloader can fetch
   * @throws AcquisitionException when a source failed ({@link TransferException}; {@link
   *     SourcesExhaustedException} when several did), a source served other bytes ({@link
   *     ContentMismatchException}), the disk lacks the space ({@link InsufficientSpaceException}),
   *     the fetch was cancelled ({@link DownloadCancelledException}, partials kept) or the downloads
   *     folder could not be used ({@link DownloadsFolderException})
   */
  public List<Path> fetchAll(List<ModelFile> files, ProgressListener listener) throws AcquisitionException {
    files.forEach(this::requireSources);
    try {
      return Parallel.each(files, settings.parallelism(), f -> fetch(f, listener), this::cancelledAt);
    } catch (StoreException | IntegrityException e) {
      throw new IllegalStateException("a fetch without a destination cannot fail in the store", e);
    }
  }

  /**
   * Fetches the files {@code destination} lacks and publishes each there as soon as it is
   * verified, at most {@link DownloadSettings#parallelism()} at a time, on virtual threads that
   * end before this returns. Each file's lock is held until it is published, so a second install
   * of the same file (another process, or another thread) waits for it and then finds it in the
   * destination: the bytes cross the network once.
   *
   * <p>When one file fails, the others are cancelled (their partials are kept) and the first
   * failure is thrown, with the other non-cancellation failures suppressed. Interrupting the
   * calling thread cancels them all.
   *
   * @param files the files to fetch; may be empty
   * @param destination where each verified file is published (the store)
   * @param listener told of progress, from the fetching threads
   * @return the files this call published (files found already there are left out)
   * @throws IllegalArgumentException when a file has no source this downloader can fetch
   * @throws AcquisitionException when a source failed ({@link TransferException}; {@link
   *     SourcesExhaustedException} when several did), a source served other bytes ({@link
   *     ContentMismatchException}), the disk lacks the space ({@link InsufficientSpaceException}),
   *     the fetch was cancelled ({@link DownloadCancelledException}, partials kept) or the downloads
   *     folder could not be used ({@link DownloadsFolderException})
   * @throws StoreException when the destination cannot be read or cannot take a file
   * @throws IntegrityException when the destination's own check finds other bytes than the manifest's
   */
  public List<ModelFile> fetchInto(List<ModelFile> files, Destination destination, ProgressListener listener)
      throws AcquisitionException, StoreException, IntegrityException {
    files.forEach(this::requireSources);
    Emitter emitter = new Emitter(Objects.requireNonNull(listener, "listener"));
    List<Boolean> published = Parallel.each(files, settings.parallelism(),
        f -> Parallel.onVirtualThread(() -> fetchInto(f, destination, emitter)), this::cancelledAt);
    List<ModelFile> out = new ArrayList<>();
    Set<Digest> seen = new java.util.HashSet<>();
    for (int i = 0; i < files.size(); i++) {
      if (published.get(i) && seen.add(files.get(i).sha256())) {
        out.add(files.get(i));
      }
    }
    return out;
  }

  /**
   * Repairs a corrupt copy of {@code file} by fetching only the chunks that fail, by range: the
   * copy is copied into the downloads folder, each bad chunk {@code i} (bytes {@code i*chunkSize}
   * up to the next chunk) is requested with {@code Range} and written in place, and the whole file
   * is then proven against the manifest's sha256 before it is published to {@code destination}.
   * A source that does not answer 206 with exactly the range asked, or whose strong ETag changes
   * between ranges, is left for the next; when none repairs it, nothing is published and the
   * caller downloads the whole file as usual.
   *
   * @param file the file as the manifest lists it
   * @param corrupt the store's copy, which this only reads
   * @param chunkSize the size of a chunk in bytes, as in the file's chunk record
   * @param bad the indexes of the chunks that fail, from 0
   * @param destination where the repaired file is published (the store)
   * @param listener told of progress
   * @return the bytes received (0 when the destination already held the file), or empty when the
   *     file was not repaired this way
   * @throws IllegalArgumentException when {@code file} has no source this downloader can fetch
   * @throws AcquisitionException when the download lock, the downloads folder or the repair's work
   *     file cannot be used ({@link DownloadsFolderException}, which also reports any I/O error of
   *     the repair), or the wait for another download is cancelled ({@link DownloadCancelledException})
   * @throws StoreException when the destination cannot be read or cannot take the file
   * @throws IntegrityException when the destination's own check finds other bytes than the manifest's
   */
  public OptionalLong repairChunks(ModelFile file, Path corrupt, long chunkSize, List<Integer> bad,
      Destination destination, ProgressListener listener) throws AcquisitionException, StoreException, IntegrityException {
    Emitter emitter = new Emitter(Objects.requireNonNull(listener, "listener"));
    return new ChunkRepair(paths, folder).repair(file, requireSources(file), corrupt, chunkSize, bad, destination, emitter);
  }

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  private boolean fetchInto(ModelFile file, Destination destination, Emitter emitter)
      throws AcquisitionException, StoreException, IntegrityException {
    String name = file.path().value();
    try (DownloadLock lock = folder.lock(file, emitter)) {
      if (destination.holds(file)) {
        emitter.emit(new TransferEvent.Done(name, file.sha256().toString(), file.size(), 0));
        return false;
      }
      DownloadsFolder.Fetched f = folder.fetchLocked(file, requireSources(file), emitter);
      destination.publish(file, f.path());
      emitter.emit(new TransferEvent.Done(name, file.sha256().toString(), file.size(), f.transferred()));
      return true;
    } catch (AcquisitionException | StoreException | IntegrityException e) {
      emitter.emit(new TransferEvent.Failed(name, e.getMessage()));
      throw e;
    }
  }

  private DownloadCancelledException cancelledAt(ModelFile f, InterruptedException e) {
    return new DownloadCancelledException(f.path().value(), partialBytes(f), f.size(), e);
  }

  /**
   * Bytes of {@code file} already present that a fetch would keep rather than download again: the
   * whole size when a verified or complete-length file is waiting; the partial's bytes when a
   * source can continue them (its record names a validator for one of the file's URLs, or the file
   * has a registry source); else 0. No hashing: the figure is for consent dialogs ("X MB left to
   * download"); a fetch still verifies every byte.
   *
   * @param file a manifest's file
   * @return bytes, 0 up to the file's size
   */
  public long partialBytes(ModelFile file) {
    return PartialListing.resumableBytes(paths, file, sources(file));
  }

  /**
   * What the downloads folder holds, by sha256, sorted by digest. Names that are not Soko's are
   * ignored; links are not followed. A lock file alone is not a partial download.
   *
   * @return the partial downloads; empty when there are none
   * @throws DownloadsFolderException when the downloads folder cannot be read
   */
  public List<Partial> partials() throws DownloadsFolderException {
    return PartialListing.list(paths);
  }

  /**
   * Every file of the downloads folder that a download running now (in this or another process)
   * holds, which clearing the cache must keep.
   *
   * @return the paths in use; empty when no download runs
   * @throws DownloadsFolderException when the downloads folder cannot be read
   */
  public Set<Path> inUse() throws DownloadsFolderException {
    return PartialListing.inUse(paths);
  }

  /**
   * Deletes everything the downloads folder holds for Soko (partials, their records, verified files
   * not yet published, idle lock files), except downloads running now, which are skipped. Never
   * touches other names.
   *
   * @return what was removed, for the caller to report
   * @throws DownloadsFolderException when the downloads folder cannot be read or a file in it cannot be deleted
   */
  public List<Partial> removePartials() throws DownloadsFolderException {
    List<Partial> removed = new ArrayList<>();
    for (Digest d : PartialListing.digests(paths)) {
      removePartial(d).ifPresent(removed::add);
    }
    return List.copyOf(removed);
  }

  /**
   * Deletes what the downloads folder holds for one sha256, unless a download of it is running.
   *
   * @param sha256 the file's digest
   * @throws DownloadsFolderException when the downloads folder cannot be read or a file in it cannot be deleted
   * @return what was removed (empty when there was nothing but an idle lock file, or it is in use)
   */
  public Optional<Partial> removePartial(Digest sha256) throws DownloadsFolderException {
    return PartialListing.remove(paths, sha256);
  }
}
