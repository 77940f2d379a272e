package soko.acquisition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of each range of a {@link RangedTransfer}: the bytes written and fsynced from its start,
 * and the validator the source's answers must carry (the record's, or adopted from the first
 * answer when the record was rebased onto this source and carries none). Not thread-safe: the
 * transfer holds its lock around every call.
 */
final class SpanProgress {
  private final PartialMetadata base;
  private final long[] done;
  private final long[] written;
  /** Written bytes of each span that were never fsynced when this attempt began (from a killed run). */
  private final boolean[] unsyncedTail;
  private boolean adopted;
  private Optional<String> adoptedEtag = Optional.empty();
  private Optional<String> adoptedLastModified = Optional.empty();

  SpanProgress(PartialMetadata base) {
    this.base = base;
    int n = base.spans().size();
    this.done = new long[n];
    this.written = new long[n];
    this.unsyncedTail = new boolean[n];
    for (int i = 0; i < n; i++) {
      PartialMetadata.Span s = base.spans().get(i);
      done[i] = s.done();
      written[i] = s.written();
      unsyncedTail[i] = s.written() > s.done();
    }
  }

  int count() {
    return written.length;
  }

  PartialMetadata.Span span(int i) {
    return base.spans().get(i);
  }

  long written(int i) {
    return written[i];
  }

  void advance(int i, long n) {
    written[i] += n;
  }

  long writtenSum() {
    return sum(written);
  }

  long doneSum() {
    return sum(done);
  }

  long[] writtenSnapshot() {
    return written.clone();
  }

  long[] doneSnapshot() {
    return done.clone();
  }

  /** The bytes of {@code snapshot} are fsynced (a range that went back since keeps its lower count). */
  void synced(long[] snapshot) {
    for (int i = 0; i < done.length; i++) {
      done[i] = Math.min(Math.max(done[i], snapshot[i]), written[i]);
    }
  }

  /** Every byte written is fsynced. */
  void allSynced() {
    System.arraycopy(written, 0, done, 0, written.length);
  }

  /** Forgets the bytes written but never fsynced by an earlier run; true when there were some. */
  boolean dropUnsyncedTails() {
    boolean any = false;
    for (int i = 0; i < written.length; i++) {
      if (unsyncedTail[i]) {
        unsyncedTail[i] = false;
        written[i] = done[i];
        any = true;
      }
    }
    return any;
  }

  /** Range {@code i} goes back to {@code position} (the start of a chunk that failed). */
  void backTo(int i, long position) {
    written[i] = position - span(i).from();
    done[i] = Math.min(done[i], written[i]);
  }

  /** Every incomplete range keeps only its whole chunks of {@code chunkSize} bytes. */
  void keepWholeChunks(long chunkSize) {
    for (int i = 0; i < written.length; i++) {
      PartialMetadata.Span s = span(i);
      if (written[i] < s.length()) {
        written[i] = Math.max(0, (s.from() + written[i]) / chunkSize * chunkSize - s.from());
        done[i] = Math.min(done[i], written[i]);
      }
    }
  }

  /** The end of the part of the file that is contiguous from its start. */
  long frontier() {
    long f = 0;
    for (int i = 0; i < written.length; i++) {
      PartialMetadata.Span s = span(i);
      f = s.from() + written[i];
      if (written[i] < s.length()) {
        break;
      }
    }
    return f;
  }

  /** The record as it stands. */
  PartialMetadata meta() {
    return metaOf(done, written);
  }

  /** The record with these fsynced and written counts. */
  PartialMetadata metaOf(long[] d, long[] w) {
    List<PartialMetadata.Span> spans = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      PartialMetadata.Span s = span(i);
      spans.add(new PartialMetadata.Span(s.from(), s.to(), Math.min(d[i], w[i]), w[i]));
    }
    PartialMetadata m = base.withSpans(spans);
    return adopted ? new PartialMetadata(m.sha256(), m.size(), m.url(), adoptedEtag, adoptedLastModified, m.spans()) : m;
  }

  /**
   * Whether an answer carries the validator of the record; a record without one adopts the first
   * answer's strong validator.
   *
   * @return empty when it does, else why not
   */
  Optional<String> validatorProblem(HttpResponse r, Instant now) {
    if (base.etag().isEmpty() && base.lastModified().isEmpty() && !adopted) {
      if (!StrongValidator.present(r, now)) {
        return Optional.of("serves ranges without a strong validator");
      }
      adopted = true;
      adoptedEtag = StrongValidator.etag(r);
      adoptedLastModified = r.header("Last-Modified");
    }
    Optional<String> etag = adopted ? adoptedEtag : base.etag();
    Optional<String> modified = adopted ? adoptedLastModified : base.lastModified();
    boolean same = etag.isPresent() ? StrongValidator.etag(r).equals(etag) : r.header("Last-Modified").equals(modified);
    return same ? Optional.empty() : Optional.of("changed during the download (its validator differs)");
  }

  private static long sum(long[] a) {
    long s = 0;
    for (long v : a) {
      s += v;
    }
    return s;
  }
}
