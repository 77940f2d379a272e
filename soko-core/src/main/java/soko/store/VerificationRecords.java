package soko.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import soko.internal.json.JsonProblem;
import soko.verification.Digest;

/**
 * Reads and writes {@code state/verified/<xx>/<sha256>.json} ({@link VerificationRecord}). A
 * record is only ever a shortcut: a missing, damaged or linked record costs a re-hash, never a
 * wrong answer. Thread-safe.
 */
final class VerificationRecords {
  private static final int MAX_BYTES = 64 * 1024;

  private final Layout layout;
  private final Quarantine quarantine;

  VerificationRecords(Layout layout, Quarantine quarantine) {
    this.layout = layout;
    this.quarantine = quarantine;
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
  }

  void delete(Digest d) throws IOException {
    Files.deleteIfExists(layout.record(d));
  }
}
