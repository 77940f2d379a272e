package soko.store;

import java.io.IOException;

/**
 * A file-system operation failed; the message names the path and the system's reason. Immutable
 * once thrown.
 */
public final class StoreIOException extends StoreException {
  /**
   * Makes the exception; its message is {@code what}, a colon, and the system's reason.
   *
   * @param what what was being done, naming the path, such as {@code "cannot write /…/x.json"}
   * @param cause the I/O failure
   */
  public StoreIOException(String what, IOException cause) {
    super(what + ": " + describe(cause), cause);
  }

  static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    return switch (type) {
      case "NoSuchFileException" -> "no such file " + e.getMessage();
      case "AccessDeniedException" -> "permission denied on " + e.getMessage();
      case "FileSystemException" -> e.getMessage();
      default -> e.getMessage() == null ? type : e.getMessage();
    };
  }
}
