package soko.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import soko.verification.Digest;

/**
 * Measures storage use, counting shared blobs once, with the same definition of an orphan as gc
 * ({@link LiveSet}). Reads the store's own folders; hashes nothing. Thread-safe.
 */
final class StorageMeter {
  /** One entry of the blob folders, from one {@code lstat}. */
  record BlobEntry(Path path, Optional<Digest> digest, boolean regular, long size) {
    /** A link, a FIFO or a folder where a blob or a fan-out folder belongs: gc removes it. */
    boolean foreign() {
      return !regular;
    }
  }

  private final Layout layout;
  private final Refs refs;
  private final Removals removals;
  private final Pins pins;
  private final Quarantine quarantine;

  StorageMeter(Layout layout, Refs refs, Removals removals, Pins pins, Quarantine quarantine) {
    this.layout = layout;
    this.refs = refs;
    this.removals = removals;
    this.pins = pins;
    this.quarantine = quarantine;
  }

  /** See {@link Store#usage(List)}. */
  StorageUse usage(List<InstalledModel> known) throws StoreException {
    try {
      LiveSet live = LiveSet.read(refs, removals, pins, known);
      long models = 0;
      int modelBlobs = 0;
      long pinned = 0;
      int pinnedCount = 0;
      long orphans = 0;
      int orphanCount = 0;
      for (BlobEntry blob : blobEntries(layout)) {
        if (blob.foreign() || live.orphan(blob.digest().orElseThrow())) {
          orphans += blob.size();
          orphanCount++;
        } else if (live.installed().contains(blob.digest().get())) {
          models += blob.size();
          modelBlobs++;
        } else {
          pinned += blob.size();
          pinnedCount++;
        }
      }
      for (Path p : quarantine.entries()) {
        orphans += Files2.sizeOf(p);
        orphanCount++;
      }
      CacheSweeper.Usage cache = CacheSweeper.usage(layout);
      FileStore fs = Files.getFileStore(layout.roots().data());
      FileStore cfs = Files.getFileStore(layout.roots().cache());
      return new StorageUse(models, modelBlobs, cache.total(), cache.partialBytes(), cache.partialCount(), orphans,
          orphanCount, fs.getUsableSpace(), cfs.getUsableSpace(), pinned, pinnedCount);
    } catch (IOException e) {
      throw new StoreIOException("cannot measure storage in " + layout.roots().data(), e);
    }
  }

  /**
   * Every blob, and every foreign entry of the blob folders (never followed), one {@code lstat}
   * each; the fan-out folders are listed on all cores. Regular files whose names are not digests
   * are not Soko's and are left out.
   */
  static List<BlobEntry> blobEntries(Layout layout) throws StoreException {
    List<Path> top;
    try {
      top = Files2.listAll(layout.blobs());
    } catch (IOException e) {
      throw new StoreIOException("cannot list " + layout.blobs(), e);
    }
    List<List<BlobEntry>> perDir = ParallelReads.map(top, 32, "measuring", dir -> {
      try {
        return entries(dir);
      } catch (IOException e) {
        throw new StoreIOException("cannot list " + dir, e);
      }
    });
    List<BlobEntry> out = new ArrayList<>();
    perDir.forEach(out::addAll);
    return out;
  }

  /** The entries of one fan-out folder, or the entry itself when it is not a real folder. */
  private static List<BlobEntry> entries(Path dir) throws IOException {
    BasicFileAttributes d;
    try {
      d = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    if (!d.isDirectory()) {
      return d.isRegularFile() ? List.of() : List.of(new BlobEntry(dir, Optional.empty(), false, d.size()));
    }
    List<BlobEntry> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // removed meanwhile (gc in another process)
        } catch (IOException e) {
          // Unreadable: counted, with no size, rather than failing the whole report.
          digest(p).ifPresent(x -> out.add(new BlobEntry(p, Optional.of(x), true, 0)));
          continue;
        }
        Optional<Digest> digest = digest(p);
        if (!a.isRegularFile()) {
          out.add(new BlobEntry(p, digest, false, a.size()));
        } else if (digest.isPresent()) {
          out.add(new BlobEntry(p, digest, true, a.size()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  private static Optional<Digest> digest(Path p) {
    try {
      return Optional.of(Digest.ofHex(p.getFileName().toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
