package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.manifest.ModelFile;

/**
 * Fetches chunks of a file by range from one source and writes each in place: the part of a
 * repair by chunks that talks to the network. Every answer is checked: 206, a Content-Range of
 * exactly the bytes asked and the file's size, a Content-Length that agrees, the same strong ETag
 * for every range, and a body of exactly that length.
 */
final class ChunkRanges {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private ChunkRanges() {}

  /** The bytes received, or empty when this source cannot serve the ranges as asked. */
  static OptionalLong fetch(ModelFile file, FileJob.Source source, Path work, long chunkSize, List<Integer> bad)
      throws IOException {
    long received = 0;
    Optional<String> etag = Optional.empty();
    byte[] buf = new byte[256 * 1024];
    try (FileChannel out = FileChannel.open(work, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      for (int i : bad) {
        long from = i * chunkSize;
        if (from >= file.size()) {
          return OptionalLong.empty();
        }
        long to = Math.min(file.size(), from + chunkSize) - 1;
        Transport.Request request = new Transport.Request(file.path().value(), source.uri(), from, OptionalLong.of(to),
            Optional.empty());
        HttpResponse response;
        try {
          response = source.transport().get(request);
        } catch (IOException | TransferException e) {
          return OptionalLong.empty(); // the whole download that follows retries and reports properly
        }
        try (HttpResponse r = response) {
          if (r.status() != 206 || !exactly(r.header("Content-Range"), from, to, file.size())) {
            return OptionalLong.empty();
          }
          if (r.contentLength().isPresent() && r.contentLength().getAsLong() != to - from + 1) {
            return OptionalLong.empty();
          }
          Optional<String> tag = r.header("ETag").filter(e -> !e.startsWith("W/") && !e.isBlank());
          if (etag.isPresent() && !etag.equals(tag)) {
            return OptionalLong.empty(); // the file changed on the server between two ranges
          }
          etag = tag;
          InputStream in = r.body();
          long at = from;
          while (at <= to) {
            int n;
            try {
              n = in.read(buf, 0, (int) Math.min(buf.length, to - at + 1));
            } catch (IOException e) {
              return OptionalLong.empty();
            }
            if (n < 0) {
              return OptionalLong.empty(); // truncated
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
              at += out.write(bb, at);
            }
            received += n;
          }
        }
      }
      out.force(true);
    }
    return OptionalLong.of(received);
  }

  private static boolean exactly(Optional<String> contentRange, long from, long to, long size) {
    Matcher m = contentRange.map(v -> CONTENT_RANGE.matcher(v.strip())).orElse(null);
    return m != null && m.matches() && Long.parseLong(m.group(1)) == from && Long.parseLong(m.group(2)) == to
        && (m.group(3).equals("*") || Long.parseLong(m.group(3)) == size);
  }
}
