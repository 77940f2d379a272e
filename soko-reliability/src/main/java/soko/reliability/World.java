package soko.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A user's folders around a Soko home, to prove that Soko changes nothing but its own roots:
 *
 * <pre>
 * world/
 *   notes.txt                    a file beside the home
 *   downloads/model-copy.bin     a file the user already has that no catalog names ({@code soko import}
 *                                of the folder must skip it)
 *   downloads/rel-delta/         where the harness puts a catalog model's file the user downloaded
 *   outside/precious.bin         the target of links planted in the library and the cache
 *   outside/photos/              a folder the library links to
 *   home/                        --home: Soko's data and cache roots (data/, cache/) and
 *     readme.txt                 a file of the user's beside them
 *     library/                   the media library (the default for --home): files, a read-only
 *                                file, a non-ASCII name, links out to outside/, a hard link
 * </pre>
 *
 * Everything under {@code world/} except {@code home/data} and {@code home/cache} must be
 * byte-identical after any Soko command: {@link #snapshot()} takes the picture.
 */
final class World {
  private final Path dir;
  private final Path home;

  private World(Path dir) {
    this.dir = dir;
    this.home = dir.resolve("home");
  }

  /** Creates the folders and user files, with contents drawn from {@code random}. */
  static World create(Path dir, Random random) {
    World w = new World(dir.toAbsolutePath());
    try {
      Path lib = Files.createDirectories(w.library());
      Path outside = Files.createDirectories(dir.resolve("outside"));
      Files.createDirectories(outside.resolve("photos"));
      Files.createDirectories(dir.resolve("downloads"));
      Files.writeString(dir.resolve("notes.txt"), "a user's notes beside the Soko home\n");
      Files.writeString(w.home.resolve("readme.txt"), "a user's file inside the home, beside data/ and cache/\n");
      Files.write(outside.resolve("precious.bin"), bytes(random, 20_000));
      Files.write(outside.resolve("photos/a.jpg"), bytes(random, 30_000));
      Files.write(dir.resolve("downloads/model-copy.bin"), bytes(random, 300_000));
      Files.createDirectories(lib.resolve("2025/interviews"));
      Files.write(lib.resolve("2025/interviews/インタビュー.wav"), bytes(random, 64_000));
      Files.write(lib.resolve("2025/notes.txt"), bytes(random, 1_000));
      Files.write(lib.resolve("한국어 녹음.wav"), bytes(random, 48_000));
      Path ro = Files.write(lib.resolve("read-only.txt"), "do not touch\n".getBytes(StandardCharsets.UTF_8));
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
      Files.createSymbolicLink(lib.resolve("precious-link.bin"), outside.resolve("precious.bin"));
      Files.createSymbolicLink(lib.resolve("photos-link"), outside.resolve("photos"));
      Files.createSymbolicLink(lib.resolve("dangling-link"), outside.resolve("not-there"));
      Files.createLink(lib.resolve("hard-link-to-photo.jpg"), outside.resolve("photos/a.jpg"));
      Files.writeString(lib.resolve(".hidden"), "hidden\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w;
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  Path dir() {
    return dir;
  }

  Path home() {
    return home;
  }

  Path data() {
    return home.resolve("data");
  }

  Path cache() {
    return home.resolve("cache");
  }

  Path library() {
    return home.resolve("library");
  }

  /** A file the user already has, which an import may read but never move or change. */
  Path userModelFile() {
    return dir.resolve("downloads/model-copy.bin");
  }

  /** The user's downloads folder, which {@code soko import} reads and never changes. */
  Path userDownloads() {
    return dir.resolve("downloads");
  }

  /** {@code --home HOME ARGS}. */
  List<String> args(String... args) {
    return args(List.of(args));
  }

  List<String> args(List<String> args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(args);
    return all;
  }

  /** Everything but Soko's two roots. */
  Snapshot snapshot() {
    return Snapshot.take(dir, Set.of(data(), cache()));
  }

  /**
   * Links inside the cache root that lead out of it: into the library and to a user's file.
   * {@code cache clear} may remove the links, never what they point to. Planted again when gone.
   */
  void plantCacheLinks() {
    try {
      Path tmp = cache().resolve("tmp");
      if (!Files.isDirectory(tmp)) {
        return; // Soko has not made its cache yet
      }
      Path toLibrary = tmp.resolve("library-link");
      if (!Files.exists(toLibrary, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(toLibrary, library());
      }
      Path toFile = cache().resolve("precious-link.bin");
      if (!Files.exists(toFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(toFile, dir.resolve("outside/precious.bin"));
      }
    } catch (IOException e) {
      // A concurrent cache clear may remove the folder between the check and the link; plant next time.
    }
  }
}
