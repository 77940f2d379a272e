package soko.app;

import java.nio.file.Path;
import java.util.List;
import soko.acquisition.Partial;
import soko.store.CacheClearReport;
import soko.store.FileState;
import soko.store.InstalledModel;
import soko.store.StoreException;

/** What a removal would free, and clearing the cache around downloads in progress. */
final class StorageCleanup {
  private StorageCleanup() {}

  /**
   * What {@link Soko#remove} of {@code name} would free, changing nothing. A blob another installed
   * model names is kept; a missing blob frees nothing.
   */
  static RemovalPlan planRemoval(Soko facade, String name) throws StoreException {
    InstalledModel model = facade.store().require(Soko.parseName(name));
    java.util.Set<soko.verification.Digest> others = new java.util.HashSet<>();
    for (InstalledModel other : facade.store().installed()) {
      if (!other.manifest().name().equals(model.manifest().name())) {
        other.manifest().files().forEach(f -> others.add(f.sha256()));
      }
    }
    long freed = 0;
    long shared = 0;
    int blobs = 0;
    java.util.Set<soko.verification.Digest> seen = new java.util.HashSet<>();
    for (soko.store.FileCheck f : facade.store().checkWithoutHashing(model).files()) {
      if (f.state() == FileState.MISSING || !seen.add(f.file().sha256())) {
        continue;
      }
      if (others.contains(f.file().sha256())) {
        shared += f.file().size();
      } else {
        freed += f.file().size();
        blobs++;
      }
    }
    return new RemovalPlan(model, freed, blobs, shared);
  }

  /**
   * Empties the cache root, partial downloads included; a download running in another process
   * keeps its partial file.
   */
  static CacheClearReport clearCache(Soko facade, boolean dryRun, java.util.Set<Path> keep) throws StoreException {
    java.util.Set<Path> busy = new java.util.HashSet<>(keep);
    try {
      busy.addAll(facade.downloader().inUse());
      List<Partial> owned = facade.downloader().partials();
      List<Partial> removable = dryRun ? owned.stream().filter(p -> !busy.containsAll(p.files())).toList()
          : facade.downloader().removePartials();
      java.util.Set<soko.verification.Digest> gone = new java.util.HashSet<>();
      removable.forEach(p -> gone.add(p.sha256()));
      for (Partial p : owned) {
        if (!gone.contains(p.sha256())) {
          busy.addAll(p.files());
        }
      }
      if (!dryRun) {
        CacheClearReport rest = facade.store().clearCacheAfterDownloads(busy);
        long partialBytes = removable.stream().mapToLong(Partial::bytes).sum();
        return new CacheClearReport(false, rest.filesRemoved() + removable.stream().mapToLong(p -> p.files().size()).sum(),
            rest.bytesFreed() + partialBytes, removable.size(), partialBytes,
            busy.isEmpty() ? rest.skipped() : java.util.stream.Stream.concat(rest.skipped().stream(),
                busy.stream().filter(b -> !keep.contains(b)).sorted().map(b -> b + " (a download in progress)")).toList());
      }
    } catch (soko.acquisition.DownloadsFolderException e) {
      // The walk below still clears what it can and reports the rest.
    }
    return facade.store().clearCache(dryRun, busy);
  }
}
