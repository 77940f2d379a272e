package soko.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opening a file someone named (a WAV file, a manifest, a {@code file:} source) without ever
 * opening what is not a regular file: opening a FIFO for reading blocks until a writer comes,
 * forever if none does, and a device such as {@code /dev/zero} never ends.
 *
 * <p>The links in the given path are resolved once ({@link Path#toRealPath}), the file they lead
 * to is checked with {@code lstat}, and that real path is then opened with {@code NOFOLLOW_LINKS},
 * so that a link swapped in between cannot lead the open elsewhere. Thread-safe (stateless).
 */
public final class RegularFiles {
  private RegularFiles() {}

  /** Something other than a regular file is where a regular file was expected. */
  public static final class NotRegularFileException extends IOException {
    private final Path file;
    private final String kind;

    NotRegularFileException(Path file, String kind) {
      super(file + " is not a regular file but " + kind);
      this.file = file;
      this.kind = kind;
    }

    public Path file() {
      return file;
    }

    /** What it is instead, such as "a folder" or "a FIFO (named pipe)". */
    public String kind() {
      return kind;
    }
  }

  /**
   * The real path of {@code file} once it is known to be a regular file.
   *
   * @throws java.nio.file.NoSuchFileException when nothing is there (or a link leads nowhere)
   * @throws NotRegularFileException when it is a folder, a device, a FIFO or a socket
   */
  public static Path check(Path file) throws IOException {
    Path real = file.toRealPath();
    BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      throw new NotRegularFileException(file, kind(real, a));
    }
    return real;
  }

  /**
   * Opens {@code file} for reading once {@link #check} accepts it; never blocks on a FIFO.
   *
   * @throws java.nio.file.NoSuchFileException when nothing is there
   * @throws NotRegularFileException when it is not a regular file
   */
  public static InputStream open(Path file) throws IOException {
    Path real = check(file);
    return Channels.newInputStream(Files.newByteChannel(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
  }

  /** Its size, once {@link #check} accepts it. */
  public static long size(Path file) throws IOException {
    return Files.size(check(file));
  }

  private static String kind(Path real, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a folder";
    }
    try {
      // st_mode's file type bits, where the file system gives them (Linux, macOS).
      int type = ((Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO (named pipe)";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException | IOException e) {
      return "a device, a FIFO or a socket";
    }
  }
}
