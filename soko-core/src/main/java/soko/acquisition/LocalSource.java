package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import soko.manifest.SourceUri;

/**
 * Sources that need no network: {@code bundled:} files shipped inside Soko's jar, and
 * {@code file:} paths such as a USB stick or a network share. The bytes are verified by the store
 * as they are written, like any download. Thread-safe: no state.
 */
public final class LocalSource {
  /** Where bundled files live on the class path. */
  public static final String BUNDLED_ROOT = "soko/bundled/";

  private LocalSource() {}

  /**
   * Opens a bundled or file source.
   *
   * @param source a {@code bundled:} or {@code file:} source
   * @return the source's bytes, unverified, for the caller to close; empty when it does not exist
   * @throws soko.internal.io.RegularFiles.NotRegularFileException when a file source names a
   *     folder, a device or a FIFO
   * @throws IOException if the file exists but cannot be opened
   * @throws IllegalArgumentException if {@code source} is an http or OCI source
   */
  public static Optional<InputStream> open(SourceUri source) throws IOException {
    return switch (source.kind()) {
      case BUNDLED -> Optional.ofNullable(
          LocalSource.class.getResourceAsStream("/" + BUNDLED_ROOT + source.bundledPath().value()));
      case FILE -> {
        try {
          // Never opens a folder, a device or a FIFO (which would block): says what it is instead.
          yield Optional.of(soko.internal.io.RegularFiles.open(Path.of(source.uri())));
        } catch (NoSuchFileException e) {
          yield Optional.empty();
        }
      }
      case HTTP, OCI -> throw new IllegalArgumentException(source + " is not a local source");
    };
  }

  /**
   * Reads a bundled resource whole, such as a bundled manifest.
   *
   * @param path the resource's path under {@link #BUNDLED_ROOT}, such as {@code silero-vad/manifest.json}
   * @param limit the most bytes accepted
   * @return its bytes, or empty when Soko ships no such resource
   * @throws IOException if it cannot be read or is larger than {@code limit}
   */
  public static Optional<byte[]> readBundled(String path, int limit) throws IOException {
    try (InputStream in = LocalSource.class.getResourceAsStream("/" + BUNDLED_ROOT + path)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new IOException("bundled " + path + " is larger than " + limit + " bytes");
      }
      return Optional.of(bytes);
    }
  }

  /**
   * Whether a local source is present.
   *
   * @param source any source
   * @return true for a bundled resource that ships with Soko or a regular file (not a link) that
   *     exists; false for http and OCI sources
   */
  public static boolean exists(SourceUri source) {
    return switch (source.kind()) {
      case BUNDLED -> LocalSource.class.getResource("/" + BUNDLED_ROOT + source.bundledPath().value()) != null;
      case FILE -> Files.isRegularFile(Path.of(source.uri()), LinkOption.NOFOLLOW_LINKS);
      case HTTP, OCI -> false;
    };
  }
}
