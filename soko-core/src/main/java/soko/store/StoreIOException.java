package soko.store;

import java.io.IOException;

/** A file-system operation failed; the message names the path and the system's reason. */
public final class StoreIOException extends StoreException {
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
