package soko.acquisition;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import soko.manifest.ModelFile;
import soko.verification.Digest;

/**
 * What the downloads folder holds, grouped by sha256, and removing it: for cache listings and
 * {@code soko cache clear}. Only Soko's names are considered ({@link PartialFiles}); links are
 * never followed; a download running now (its lock held) is never touched.
 */
final class PartialListing {
  private PartialListing() {}

  /** See {@link Downloader#partialBytes}. */
  static long resumableBytes(PartialFiles paths, ModelFile file, List<FileJob.Source> sources) {
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
      if (length > file.size()) {
        return 0;
      }
      Set<URI> listed = Set.copyOf(sources.stream().map(FileJob.Source::uri).toList());
      Optional<PartialMetadata> ranged = PartialMetadata.read(paths.metadata(d))
          .filter(m -> m.describes(file) && m.spans().size() > 1);
      if (ranged.isPresent()) { // received as ranges: the length counts the holes
        PartialMetadata m = ranged.get();
        if (m.validator().isPresent() && listed.contains(m.url())) {
          return m.written();
        }
        return file.chunks().map(c -> m.rebased(m.url(), c.chunkSize()).written()).orElse(0L); // whole checked chunks
      }
      if (length == file.size() || sources.stream().anyMatch(s -> s.transport().contentAddressed())) {
        return length;
      }
      Set<URI> urls = Set.copyOf(sources.stream().map(FileJob.Source::uri).toList());
      return PartialMetadata.read(paths.metadata(d))
          .filter(m -> m.describes(file) && m.validator().isPresent() && urls.contains(m.url()))
          .map(m -> length)
          .orElse(0L);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Each sha256 with a partial, record or complete file (a lock file alone is not a download), sorted. */
  static List<Partial> list(PartialFiles paths) throws DownloadsFolderException {
    List<Partial> out = new ArrayList<>();
    groups(paths).forEach((d, files) -> {
      if (!(files.size() == 1 && files.getFirst().equals(paths.lock(d)))) {
        out.add(describe(paths, d, files));
      }
    });
    return List.copyOf(out);
  }

  /** Every sha256 with any file of Soko's, sorted. */
  static List<Digest> digests(PartialFiles paths) throws DownloadsFolderException {
    return List.copyOf(groups(paths).keySet());
  }

  /** The files of every sha256 whose download lock another thread or process holds now. */
  static Set<Path> inUse(PartialFiles paths) throws DownloadsFolderException {
    Set<Path> out = new HashSet<>();
    groups(paths).forEach((d, files) -> {
      if (DownloadLock.heldElsewhere(paths.lock(d))) {
        out.addAll(files);
      }
    });
    return out;
  }

  /** Deletes the files of one sha256 while holding its lock; empty when in use or when only a lock file was there. */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  static Optional<Partial> remove(PartialFiles paths, Digest d) throws DownloadsFolderException {
    Optional<DownloadLock> held = DownloadLock.tryAcquire(paths.lock(d), true);
    if (held.isEmpty()) {
      return Optional.empty();
    }
    try (DownloadLock lock = held.get()) {
      List<Path> files = groups(paths).getOrDefault(d, List.of());
      Optional<Partial> found = files.size() == 1 && files.getFirst().equals(paths.lock(d)) || files.isEmpty()
          ? Optional.empty() : Optional.of(describe(paths, d, files));
      for (Path f : files) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw DownloadsFolderException.io(d.toString(), f, "delete", e);
        }
      }
      PartialFiles.syncFolder(paths.folder());
      return found;
    }
  }

  private static Map<Digest, List<Path>> groups(PartialFiles paths) throws DownloadsFolderException {
    Map<Digest, List<Path>> groups = new TreeMap<>((a, b) -> a.hex().compareTo(b.hex()));
    if (!Files.isDirectory(paths.folder(), LinkOption.NOFOLLOW_LINKS)) {
      return groups;
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
    groups.values().forEach(l -> l.sort(null));
    return groups;
  }

  private static Partial describe(PartialFiles paths, Digest d, List<Path> files) {
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
    if (!isComplete && meta.isPresent() && meta.get().spans().size() > 1) {
      bytes = Math.min(bytes, meta.get().written()); // received as ranges: the file's length counts the holes
    }
    OptionalLong expected = isComplete ? OptionalLong.of(bytes)
        : meta.map(m -> OptionalLong.of(m.size())).orElse(OptionalLong.empty());
    return new Partial(d, bytes, expected, meta.map(PartialMetadata::url), isComplete, files);
  }
}
