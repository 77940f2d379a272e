package soko.acquisition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.manifest.ModelFile;

/**
 * How a file is split into ranges, and whether a 206 answers exactly the range asked: the pure
 * arithmetic of {@link RangedTransfer}. Stateless.
 */
final class RangePlan {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private RangePlan() {}

  /**
   * {@code n} ranges covering a file, none received: on chunk boundaries when the file lists chunk
   * digests (at most one range per chunk), else of about equal size.
   */
  static List<PartialMetadata.Span> plan(ModelFile file, int n) {
    if (file.chunks().isEmpty()) {
      return plan(file.size(), n);
    }
    long c = file.chunks().get().chunkSize();
    int count = file.chunks().get().sha256().size();
    int ranges = Math.max(1, Math.min(n, count));
    List<PartialMetadata.Span> out = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < ranges; i++) {
      int chunks = count / ranges + (i < count % ranges ? 1 : 0);
      long from = at * c;
      at += chunks;
      long to = i == ranges - 1 ? file.size() - 1 : at * c - 1;
      out.add(new PartialMetadata.Span(from, to, 0));
    }
    return out;
  }

  /** The most ranges one file is split into by {@link #queue}. */
  static final int MAX_QUEUED = 64;

  /**
   * Ranges of about {@code rangeBytes} covering a file, none received, to be taken in order by as
   * many connections as are open: more ranges than connections, so the part of the file that is
   * complete from its start grows while the download runs and its sha256 can follow it (with one
   * range per connection, ranges finish together and all but the first are hashed after the last
   * byte). On chunk boundaries when the file lists chunk digests; at most {@link #MAX_QUEUED}.
   */
  static List<PartialMetadata.Span> queue(ModelFile file, long rangeBytes) {
    long n = Math.max(1, Math.min(MAX_QUEUED, file.size() / Math.max(1, rangeBytes)));
    return file.chunks().isPresent() ? plan(file, (int) n) : plan(file.size(), (int) n);
  }

  /** {@code n} ranges of about equal size covering a file of {@code size} bytes, none received. */
  static List<PartialMetadata.Span> plan(long size, int n) {
    List<PartialMetadata.Span> out = new ArrayList<>();
    long each = size / n;
    for (int i = 0; i < n; i++) {
      long from = i * each;
      long to = i == n - 1 ? size - 1 : from + each - 1;
      out.add(new PartialMetadata.Span(from, to, 0));
    }
    return out;
  }

  /**
   * Whether a 206 is exactly {@code first..last} of a file of {@code size} bytes, its length
   * included; empty when it is, else what it answered instead.
   */
  static Optional<String> rangeProblem(HttpResponse r, long first, long last, long size) {
    Optional<String> cr = r.header("Content-Range");
    Matcher m = cr.map(v -> CONTENT_RANGE.matcher(v.strip())).orElse(null);
    boolean exact;
    try {
      exact = m != null && m.matches() && Long.parseLong(m.group(1)) == first && Long.parseLong(m.group(2)) == last
          && (m.group(3).equals("*") || Long.parseLong(m.group(3)) == size);
    } catch (NumberFormatException e) {
      exact = false;
    }
    if (!exact) {
      return Optional.of("answered the Content-Range \"" + cr.map(HttpBodies::printable).orElse("") + "\" for bytes="
          + first + "-" + last + " of a " + size + "-byte file");
    }
    OptionalLong length = r.contentLength();
    if (length.isPresent() && length.getAsLong() != last - first + 1) {
      return Optional.of("announced " + length.getAsLong() + " bytes for a range of " + (last - first + 1));
    }
    return Optional.empty();
  }
}
