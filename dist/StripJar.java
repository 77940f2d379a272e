import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Copies a jar without the entries whose names start with one of the given prefixes, keeping the
 * order, times and compression of the others. Used by bin/build-dist.sh to drop the native libraries
 * of other platforms from third-party jars. Prints one line: entries and bytes dropped.
 *
 * <pre>java dist/StripJar.java IN.jar OUT.jar PREFIX...</pre>
 */
public final class StripJar {
  private StripJar() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: java dist/StripJar.java IN.jar OUT.jar PREFIX...");
      System.exit(2);
    }
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<String> drop = Arrays.asList(args).subList(2, args.length);
    long sizeBefore = Files.size(in);
    var permissions = Files.getPosixFilePermissions(in);
    int dropped = 0;
    long droppedBytes = 0;
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".tmp");
    try (ZipFile zip = new ZipFile(in.toFile()); ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(tmp))) {
      for (ZipEntry e : zip.stream().toList()) {
        if (drop.stream().anyMatch(e.getName()::startsWith)) {
          dropped++;
          droppedBytes += Math.max(0, e.getSize());
          continue;
        }
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTime(e.getTime());
        copy.setComment(e.getComment());
        copy.setExtra(e.getExtra());
        if (e.getMethod() == ZipEntry.STORED) {
          copy.setMethod(ZipEntry.STORED);
          copy.setSize(e.getSize());
          copy.setCompressedSize(e.getSize());
          copy.setCrc(e.getCrc());
        }
        z.putNextEntry(copy);
        try (InputStream data = zip.getInputStream(e)) {
          data.transferTo(z);
        }
        z.closeEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    if (dropped == 0) {
      Files.deleteIfExists(tmp);
      System.err.println("StripJar: nothing in " + in + " starts with " + drop + ": the jar's layout changed; update bin/build-dist.sh");
      System.exit(1);
    }
    Files.setPosixFilePermissions(tmp, permissions);
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.println(in.getFileName() + ": dropped " + dropped + " entries (" + droppedBytes + " bytes uncompressed); "
        + sizeBefore + " -> " + Files.size(out) + " bytes");
  }
}
