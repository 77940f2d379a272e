package soko.acquisition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.OptionalLong;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.store.StoreException;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/**
 * The repair of a corrupt copy by fetching only its bad chunks by range ({@link ChunkRanges}),
 * under the file's download lock, proven against the manifest's sha256 before it is published.
 * Described on {@link Downloader#repairChunks}.
 */
final class ChunkRepair {
  private final PartialFiles paths;
  private final DownloadsFolder folder;

  ChunkRepair(PartialFiles paths, DownloadsFolder folder) {
    this.paths = paths;
    this.folder = folder;
  }

  /** See {@link Downloader#repairChunks}; {@code sources} are the file's sources with a transport. */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  OptionalLong repair(ModelFile file, List<FileJob.Source> sources, Path corrupt, long chunkSize, List<Integer> bad,
      Destination destination, Emitter emitter) throws AcquisitionException, StoreException, IntegrityException {
    String name = file.path().value();
    try (DownloadLock lock = folder.lock(file, emitter)) {
      if (destination.holds(file)) {
        return OptionalLong.of(0);
      }
      Path work = paths.folder().resolve(file.sha256().hex() + ".repair");
      folder.setAside(work, false, name, emitter);
      try {
        for (FileJob.Source source : sources) {
          Files.deleteIfExists(work);
          Files.copy(corrupt, work, LinkOption.NOFOLLOW_LINKS);
          emitter.emit(new TransferEvent.Notice(name, "repairing " + bad.size() + " chunk" + (bad.size() == 1 ? "" : "s")
              + " of " + chunkSize / (1024 * 1024) + " MiB by range from " + source.uri().getHost()));
          OptionalLong got = ChunkRanges.fetch(file, source, work, chunkSize, bad);
          if (got.isEmpty()) {
            continue;
          }
          emitter.emit(new TransferEvent.Verifying(name, file.size()));
          Hashing.Measured m = Hashing.sha256(work);
          if (m.size() != file.size() || !m.digest().equals(file.sha256())) {
            continue; // other chunks were bad too, or the source serves other bytes: the whole file is fetched
          }
          Path complete = paths.complete(file.sha256());
          Files.move(work, complete, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          PartialFiles.syncFolder(paths.folder());
          destination.publish(file, complete);
          emitter.emit(new TransferEvent.Done(name, file.sha256().toString(), file.size(), got.getAsLong()));
          return got;
        }
        return OptionalLong.empty();
      } catch (IOException e) {
        throw DownloadsFolderException.io(name, work, "repair", e);
      } finally {
        DownloadsFolder.deleteQuietly(work);
      }
    }
  }
}
