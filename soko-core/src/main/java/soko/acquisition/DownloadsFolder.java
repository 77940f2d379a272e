package soko.acquisition;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import soko.events.TransferEvent;
import soko.internal.io.Entries;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * The cache's downloads folder as one fetch uses it: the file's download lock, foreign entries
 * moved aside before anything is read or written, a verified leftover reused, the {@link FileJob}
 * run on the locked partial, and the verified bytes renamed to {@code <sha256>} for the caller to
 * publish. The folder layout is {@link PartialFiles}'; what a fetch promises is on {@link
 * Downloader}. Thread-safe: the per-file locks keep fetches of one file apart.
 */
final class DownloadsFolder {
  /** How long a wait for another download goes before the first notice, and between notices. */
  static final Duration FIRST_NOTICE = Duration.ofSeconds(1);
  static final Duration NOTICE_EVERY = Duration.ofSeconds(30);

  private final PartialFiles paths;
  private final DownloadSettings settings;
  private final InstantSource clock;
  private final HostSlots slots;

  DownloadsFolder(PartialFiles paths, DownloadSettings settings, InstantSource clock, HostSlots slots) {
    this.paths = paths;
    this.settings = settings;
    this.clock = clock;
    this.slots = slots;
  }

  /**
   * Takes the file's download lock, first moving aside anything that is not Soko's where the
   * folder or the lock file belongs; tells the listener while it waits for another download.
   */
  DownloadLock lock(ModelFile file, Emitter emitter) throws AcquisitionException {
    String name = file.path().value();
    // Nothing Soko did not create is written, read as its own, or followed: a link or a special
    // file where the folder or one of this file's entries belongs is moved aside first.
    setAside(paths.folder(), true, name, emitter);
    try {
      Files.createDirectories(paths.folder());
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, paths.folder(), "create the downloads folder", e);
    }
    setAside(paths.lock(file.sha256()), false, name, emitter);
    Duration[] next = {FIRST_NOTICE};
    try {
      return DownloadLock.acquire(paths.lock(file.sha256()), waited -> {
        if (waited.compareTo(next[0]) >= 0) {
          emitter.emit(new TransferEvent.Notice(name, "waiting for another Soko process to finish installing this file ("
              + waited.toSeconds() + " s so far)"));
          next[0] = waited.plus(NOTICE_EVERY);
        }
      }, e -> {
        Thread.currentThread().interrupt();
        return new DownloadCancelledException(name, 0, file.size(), e);
      });
    } catch (IOException e) {
      throw DownloadsFolderException.io(name, paths.lock(file.sha256()), "lock", e);
    }
  }

  /** A verified file in the downloads folder, and the bytes received over the network to make it. */
  record Fetched(Path path, long transferred) {}

  /** The fetch proper, under the file's download lock. */
  Fetched fetchLocked(ModelFile file, List<FileJob.Source> sources, Emitter emitter) throws AcquisitionException {
    String name = file.path().value();
    Digest d = file.sha256();
    Path complete = paths.complete(d);
    Path partial = paths.partial(d);
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
      // The download lock keeps other Soko downloads away; this lock guards the bytes themselves.
      FileLock lock = data.tryLock().orElseThrow(() -> DownloadsFolderException.busy(name, partial));
      try {
        job = new FileJob(file, settings, clock, paths, emitter, data, slots);
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
  }

  /**
   * Moves {@code entry} into the cache's quarantine folder when something other than what Soko
   * keeps there stands at its name (a link, a special file, a file with other hard links; for
   * {@code folder}, anything but a real folder), and says so in a {@link TransferEvent.Notice}.
   */
  void setAside(Path entry, boolean folder, String name, Emitter emitter) throws DownloadsFolderException {
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

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // an empty leftover is listed by partials() and removed by removePartials()
    }
  }
}
