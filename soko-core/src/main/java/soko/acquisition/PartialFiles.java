package soko.acquisition;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.verification.Digest;

/**
 * Names in the downloads folder; paths only, no I/O except folder fsync. One scheme for every
 * source of a file (http(s) mirrors and registry blobs alike): for a file with sha256 {@code H},
 *
 * <ul>
 *   <li>{@code H.partial}: bytes received so far;
 *   <li>{@code H.json}: its {@link PartialMetadata}; {@code H.json.tmp} while that is rewritten;
 *   <li>{@code H}: the complete, verified file, until it moves into the store;
 *   <li>{@code H.lock}: locked ({@link DownloadLock}) while a download of {@code H} runs, from before
 *       the partial is opened until the verified file is published; empty.
 * </ul>
 *
 * Other names are not Soko's and are never touched.
 */
final class PartialFiles {
  static final String PARTIAL = ".partial";
  static final String METADATA = ".json";
  static final String METADATA_TEMP = ".json.tmp";
  static final String LOCK = ".lock";
  private static final Pattern OURS = Pattern.compile("([0-9a-f]{64})(\\.partial|\\.json|\\.json\\.tmp|\\.lock)?");

  private final Path folder;

  PartialFiles(Path folder) {
    this.folder = folder;
  }

  Path folder() {
    return folder;
  }

  Path partial(Digest d) {
    return folder.resolve(d.hex() + PARTIAL);
  }

  Path metadata(Digest d) {
    return folder.resolve(d.hex() + METADATA);
  }

  Path lock(Digest d) {
    return folder.resolve(d.hex() + LOCK);
  }

  Path metadataTemp(Digest d) {
    return folder.resolve(d.hex() + METADATA_TEMP);
  }

  /**
   * Where entries that are not Soko's are moved when found at one of Soko's names (a link, a
   * special file): the cache root's {@code quarantine/} folder, which clearing the cache empties.
   */
  Path quarantine() {
    return folder.resolveSibling("quarantine");
  }

  Path complete(Digest d) {
    return folder.resolve(d.hex());
  }

  /** The digest a name in the folder belongs to, if it is one of ours. */
  static Optional<Digest> owner(String fileName) {
    Matcher m = OURS.matcher(fileName);
    return m.matches() ? Optional.of(Digest.ofHex(m.group(1))) : Optional.empty();
  }

  /**
   * Makes a rename in {@code folder} durable. Some platforms (Windows) cannot open a folder for
   * fsync; there the rename is as durable as the platform makes it.
   */
  static void syncFolder(Path folder) {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException unsupported) {
      // Not possible on this platform; see above.
    }
  }
}
