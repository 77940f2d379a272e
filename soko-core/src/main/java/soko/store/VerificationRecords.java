package soko.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import soko.internal.json.JsonProblem;
import soko.verification.Digest;

/**
 * Reads and writes {@code state/verified/<xx>/<sha256>.json} ({@link VerificationRecord}), with
 * {@link VerifiedIndex} in front of them. A record is only ever a shortcut: a missing, damaged or
 * linked record costs a re-hash, never a wrong answer. A record is "racily clean", and not
 * trusted, when the blob's modification time is not strictly older than the record file's own: a
 * change within the file system's timestamp granularity of the hash could have kept the stamp.
 * Thread-safe.
 */
final class VerificationRecords {
  private static final int MAX_BYTES = VerificationRecord.MAX_BYTES;

  private final Layout layout;
  private final Quarantine quarantine;
  private final VerifiedIndex index;

  VerificationRecords(Layout layout, Quarantine quarantine) {
    this.layout = layout;
    this.quarantine = quarantine;
    this.index = new VerifiedIndex(layout.verifiedIndex(), layout.verifiedIndexLock());
  }

  /**
   * What is known about a blob whose {@code stat} is {@code now}: the index's entry when it has a
   * matching one (no record is read), else the blob's record unless it is racily clean. The caller
   * still compares the result's stamp with {@code now}.
   */
  Optional<VerificationRecord> forStamp(Digest d, FileStamp now) {
    Optional<VerifiedIndex.Entry> e = index.lookup(d, now);
    if (e.isPresent()) {
      return Optional.of(VerificationRecord.good(d, e.get().stamp(), e.get().verifiedAt()));
    }
    Optional<VerificationRecord> r = readNotRacy(d);
    if (r.isPresent() && r.get().ok() && r.get().sha256().equals(d) && r.get().matches(now)) {
      index.admit(new VerifiedIndex.Entry(d, r.get().stamp(), r.get().verifiedAt()));
    }
    return r;
  }

  /** Re-reads the index if another process replaced it: one stat. Call before a batch of checks. */
  void reloadIndexIfChanged() {
    index.reloadIfChanged();
  }

  /** Writes what the checks since the last call learnt into the index, if no other process is writing it. */
  void refreshIndex() {
    index.refresh(d -> readNotRacy(d).filter(r -> r.ok() && r.sha256().equals(d))
        .map(r -> new VerifiedIndex.Entry(d, r.stamp(), r.verifiedAt())));
  }

  /** The record unless it is racily clean: the blob's mtime must be strictly older than the record's. */
  private Optional<VerificationRecord> readNotRacy(Digest d) {
    Path file = layout.record(d);
    FileStamp written;
    try {
      // Stamped before it is read: a record replaced in between is judged against the older time.
      written = FileStamp.of(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    Optional<VerificationRecord> r = read(d);
    if (r.isPresent() && r.get().stamp().mtimeNanos() >= written.mtimeNanos()) {
      return Optional.empty();
    }
    return r;
  }

  /** The blob's record; empty when there is none, or it is damaged, or it is not a regular file. */
  Optional<VerificationRecord> read(Digest d) {
    try {
      return Optional.of(VerificationRecord.parse(Files2.readRegular(layout.record(d), MAX_BYTES)));
    } catch (IOException | JsonProblem e) {
      return Optional.empty(); // a damaged (or linked) record only costs a re-hash
    }
  }

  /**
   * Records a check. The rename replaces a link at the record's place as a link; a link or file in
   * place of the fan-out folder is moved aside first, so nothing is written outside the store.
   */
  void write(Digest d, VerificationRecord r) throws IOException {
    Path file = layout.record(d);
    quarantine.realFolder(file.getParent());
    Files2.writeAtomically(file, r.toJson());
    if (!r.ok()) {
      index.invalidate(d); // after the record: a writer that re-reads it from now on sees "bad"
    }
  }

  void delete(Digest d) throws IOException {
    Files.deleteIfExists(layout.record(d));
    index.invalidate(d);
  }
}
