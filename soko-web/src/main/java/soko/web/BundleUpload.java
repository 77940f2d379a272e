package soko.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A bundle file sent by the page ({@code POST /api/bundle/import}, the file's bytes as the body):
 * streamed into a folder of its own in the uploads folder inside the cache root, at most {@link
 * #MAX_BYTES}, under the name it was chosen by, so that it can be imported as {@code soko bundle
 * import FILE} imports it. The caller deletes it afterwards ({@link #delete}).
 */
final class BundleUpload {
  /** The largest bundle the page takes: a few models of a few GiB each; a larger one goes through the CLI. */
  static final long MAX_BYTES = 32L << 30;
  /** The header that carries the chosen file's name (percent-encoded UTF-8), used in messages only. */
  static final String NAME_HEADER = "X-Soko-File-Name";
  private static final int MAX_NAME = 255;
  private static final String DEFAULT_NAME = "bundle.tar";
  /** {@code yes}: install models no trusted catalog vouches for, as {@code --trust-unsigned} does. */
  static final String TRUST_UNSIGNED_HEADER = "X-Soko-Trust-Unsigned";
  /** Licences accepted by name, comma-separated SPDX ids, as {@code --accept-license} takes them. */
  static final String ACCEPT_LICENSE_HEADER = "X-Soko-Accept-License";
  private static final int MAX_LICENSES = 16;
  private static final java.util.regex.Pattern SPDX_ID = java.util.regex.Pattern.compile("[A-Za-z0-9.+-]{1,64}");

  /** The lock file in each upload's folder; the store's cache clear knows the name. */
  static final String LOCK_NAME = ".receiving";

  /**
   * The received file, the name the person chose it by (never a path: used in messages only), and
   * the channel whose lock marks the upload as in use until {@link #delete}.
   */
  record Received(Path file, String name, FileChannel lock) {}

  private BundleUpload() {}

  /**
   * Checks the request's headers, then streams its body into a new file in {@code uploads}.
   *
   * @param cacheRoot the cache root that {@code uploads} must lie inside, links not followed
   */
  static Received receive(HttpExchange ex, Path cacheRoot, Path uploads, long maxBytes, Set<Path> inProgress)
      throws Refusal, IOException {
    String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
    String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/x-tar") && !mime.equals("application/octet-stream")) {
      throw new Refusal(415, "content-type", "send the bundle's bytes as application/x-tar (got \""
          + (type.isEmpty() ? "no Content-Type" : type) + "\")");
    }
    String name = name(ex.getRequestHeaders().getFirst(NAME_HEADER));
    long length = length(ex.getRequestHeaders().getFirst("Content-Length"), maxBytes);
    Path folder = uploadsFolder(cacheRoot, uploads);
    removeAbandoned(folder, inProgress);
    // A folder of its own, so the file keeps the chosen name (the import records it as the origin).
    Path dir = Files.createTempDirectory(folder, "bundle-");
    inProgress.add(dir);
    Path file = dir.resolve(name);
    FileChannel lock;
    try {
      lock = FileChannel.open(dir.resolve(LOCK_NAME), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      inProgress.remove(dir);
      Files.deleteIfExists(dir);
      throw e;
    }
    Received received = new Received(file, name, lock);
    boolean done = false;
    try {
      lock.lock();
      long got = 0;
      try (InputStream in = ex.getRequestBody(); OutputStream out = Files.newOutputStream(file,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while (got < length && (n = in.read(buf, 0, (int) Math.min(buf.length, length - got))) > 0) {
          out.write(buf, 0, n);
          got += n;
        }
      }
      if (got < length) {
        throw Refusal.badRequest("the upload of " + name + " ended after " + got + " of " + length + " bytes; send it again");
      }
      done = true;
      return received;
    } finally {
      if (!done) {
        delete(received, inProgress);
      }
    }
  }

  /** Deletes the received file and its folder, then releases the lock and forgets the upload. */
  static void delete(Received r, Set<Path> inProgress) throws IOException {
    Path dir = r.file().getParent();
    try {
      Files.deleteIfExists(r.file());
      Files.deleteIfExists(dir.resolve(LOCK_NAME));
      Files.deleteIfExists(dir);
    } finally {
      r.lock().close();
      inProgress.remove(dir);
    }
  }

  /**
   * Deletes what uploads cut off by a stopped server left: {@code bundle-*} folders a day old, with
   * the plain files in them (a link or another folder there is left alone, never followed); this
   * server's own uploads in progress are kept whatever their age.
   */
  private static void removeAbandoned(Path folder, Set<Path> inProgress) throws IOException {
    Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
    try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, "bundle-*")) {
      for (Path d : old) {
        BasicFileAttributes a = Files.readAttributes(d, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory() || a.lastModifiedTime().toInstant().isAfter(dayAgo) || inProgress.contains(d)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
          for (Path f : files) {
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
              Files.deleteIfExists(f);
            }
          }
        }
        try {
          Files.deleteIfExists(d);
        } catch (DirectoryNotEmptyException keep) {
          // Something other than a plain file is inside: not ours to delete.
        }
      }
    }
  }

  /** {@value #TRUST_UNSIGNED_HEADER}: absent is false, {@code yes} is true, anything else is refused. */
  static boolean trustUnsigned(String header) throws Refusal {
    if (header == null) {
      return false;
    }
    if (header.strip().equals("yes")) {
      return true;
    }
    throw Refusal.badRequest("the " + TRUST_UNSIGNED_HEADER + " header must be \"yes\" or absent");
  }

  /** {@value #ACCEPT_LICENSE_HEADER}: SPDX ids separated by commas (at most 16); absent accepts none. */
  static Set<String> acceptedLicenses(String header) throws Refusal {
    if (header == null || header.isBlank()) {
      return Set.of();
    }
    java.util.List<String> ids = java.util.Arrays.stream(header.split(",", -1)).map(String::strip).toList();
    if (ids.size() > MAX_LICENSES || ids.stream().anyMatch(i -> !SPDX_ID.matcher(i).matches())) {
      throw Refusal.badRequest("the " + ACCEPT_LICENSE_HEADER + " header must list SPDX licence ids separated by commas,"
          + " such as CC-BY-NC-4.0 (at most " + MAX_LICENSES + ")");
    }
    return Set.copyOf(ids);
  }

  private static long length(String header, long maxBytes) throws Refusal {
    if (header == null) {
      throw new Refusal(411, "length-required", "send the bundle with a Content-Length");
    }
    long n;
    try {
      n = Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      throw Refusal.badRequest("the Content-Length \"" + header + "\" is not a number");
    }
    if (n <= 0) {
      throw new Refusal(400, "invalid-input", "the upload is empty: choose a bundle written by `soko bundle export`");
    }
    if (n > maxBytes) {
      throw new Refusal(413, "too-large", "the bundle is " + n + " bytes; the page takes at most " + maxBytes
          + ": import it with `soko bundle import FILE` instead");
    }
    return n;
  }

  /** The chosen file's name, for messages: one path segment of printable text, or "bundle.tar". */
  private static String name(String header) throws Refusal {
    if (header == null || header.isBlank()) {
      return DEFAULT_NAME;
    }
    String n;
    try {
      n = URLDecoder.decode(header, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "invalid-input", "the " + NAME_HEADER + " header is not percent-encoded UTF-8");
    }
    if (n.length() > MAX_NAME || n.equals(".") || n.equals("..") || n.contains("/") || n.contains("\\") || n.contains("\uFFFD")
        || n.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
      throw new Refusal(400, "invalid-input", "the " + NAME_HEADER + " header is not a file name");
    }
    return n;
  }

  /** The uploads folder, made when missing; refused when it, or the way to it, is a link out of the cache root. */
  private static Path uploadsFolder(Path cacheRoot, Path uploads) throws Refusal, IOException {
    Files.createDirectories(uploads);
    if (Files.isSymbolicLink(uploads) || !Files.isDirectory(uploads, LinkOption.NOFOLLOW_LINKS)
        || !uploads.toRealPath().startsWith(cacheRoot.toRealPath())) {
      throw new Refusal(409, "unsafe-folder", uploads + " is a link or not a folder inside the cache "
          + cacheRoot + "; Soko writes uploads only there: remove it and upload again");
    }
    return uploads;
  }
}
