package soko.store;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child JVM of {@link CacheClearTest}: the process receiving a bundle on the page, as far as a
 * cache clear can see it. Locks the file given as its argument the way {@code soko.web.BundleUpload}
 * does, prints "locked", and keeps the lock until its standard input closes.
 */
final class UploadLockHolder {
  private UploadLockHolder() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.lock();
      System.out.println("locked");
      System.out.flush();
      System.in.read();
    }
  }
}
