package soko.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * What a {@code stat} says about a file, enough to tell that it has not changed since it was
 * hashed: size, modification time, change time ({@code unix:ctime}, which a user cannot set back,
 * so a changed file with its modification time restored is still caught) and file key (device and
 * inode, so a swapped file is caught).
 */
record FileStamp(long size, long mtimeNanos, OptionalLong ctimeNanos, String fileKey, boolean regularFile) {
  /** What stands for a file that is not there: the same as no real file's stamp. */
  static final FileStamp MISSING = new FileStamp(-1, 0, OptionalLong.empty(), "", false);

  static FileStamp of(Path file) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev,isRegularFile",
          LinkOption.NOFOLLOW_LINKS);
      return new FileStamp((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
          OptionalLong.of(nanos((FileTime) a.get("ctime"))), a.get("dev") + ":" + a.get("ino"),
          (Boolean) a.get("isRegularFile"));
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      BasicFileAttributes b = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Object key = b.fileKey();
      return new FileStamp(b.size(), nanos(b.lastModifiedTime()), OptionalLong.empty(),
          key == null ? "" : key.toString(), b.isRegularFile());
    }
  }

  /** Same size, modification time, change time and file key: the file has not changed. */
  boolean sameAs(FileStamp o) {
    return size == o.size && mtimeNanos == o.mtimeNanos && ctimeNanos.equals(o.ctimeNanos) && fileKey.equals(o.fileKey)
        && regularFile == o.regularFile;
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }
}
