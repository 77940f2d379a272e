package soko.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The three roots Soko knows: {@code data} (installed models), {@code cache} (downloads in progress,
 * temporary and derived files) and {@code library} (the app's media library, known only to protect
 * it). Construction refuses roots that overlap, comparing both the paths as given and their real
 * locations after resolving symbolic links in the parts that exist ({@link #validated()}).
 * Immutable and thread-safe.
 *
 * @param data the data root: installed models and their records; made absolute and normalised
 * @param cache the cache root: downloads in progress and derived files, safe to clear
 * @param library the app's media library, which Soko never writes to or deletes from
 */
public record StoreRoots(Path data, Path cache, Path library) {
  /** Makes the paths absolute and normalises them; does no I/O and no overlap check. */
  public StoreRoots {
    data = data.toAbsolutePath().normalize();
    cache = cache.toAbsolutePath().normalize();
    library = library.toAbsolutePath().normalize();
  }

  /**
   * Checks that no root equals or contains another, as given and after resolving links.
   *
   * @return this
   * @throws StoreConfigException if two roots overlap; the message names them and the flags that
   *     move them
   */
  public StoreRoots validated() throws StoreConfigException {
    check("data root", data, "cache root", cache);
    check("data root", data, "media library", library);
    check("cache root", cache, "media library", library);
    return this;
  }

  private static void check(String an, Path a, String bn, Path b) throws StoreConfigException {
    Path ra = real(a);
    Path rb = real(b);
    if (overlaps(a, b) || overlaps(ra, rb)) {
      throw new StoreConfigException("the " + an + " " + a + " and the " + bn + " " + b
          + " overlap; give them separate folders (--home, --library, SOKO_HOME or SOKO_LIBRARY)");
    }
  }

  static boolean overlaps(Path a, Path b) {
    return a.startsWith(b) || b.startsWith(a);
  }

  /** The real path of the deepest existing ancestor, with the rest appended. */
  static Path real(Path p) {
    Path existing = p;
    Path rest = p.getFileSystem().getPath("");
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(rest).normalize();
    } catch (IOException e) {
      return p;
    }
  }
}
