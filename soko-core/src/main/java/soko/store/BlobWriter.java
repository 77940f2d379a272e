package soko.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import soko.internal.io.Entries;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/**
 * Writes blobs: into a unique temp file in {@code tmp/}, hashed while written, fsynced, made
 * read-only, then published without replacing (the first writer wins, no lock). A bad copy
 * already at the blob's place, or a link or other non-regular file there, is moved aside to the
 * quarantine first; nothing is ever written, chmodded or published through a link. Thread-safe.
 */
final class BlobWriter {
  private final Layout layout;
  private final Clock clock;
  private final VerificationRecords records;
  private final Quarantine quarantine;

  BlobWriter(Layout layout, Clock clock, VerificationRecords records, Quarantine quarantine) {
    this.layout = layout;
    this.clock = clock;
    this.records = records;
    this.quarantine = quarantine;
  }

  boolean has(Digest d) {
    return Files.isRegularFile(layout.blob(d), LinkOption.NOFOLLOW_LINKS);
  }

  /** See {@link Store#putBlob}. */
  void put(ModelFile file, InputStream in, String subject) throws StoreException, IntegrityException {
    Path tmp = newTmp();
    try {
      MessageDigest md = Hashing.newSha256();
      // The chunk records come from the same reading; they are kept only if the whole file matches.
      ChunkDigester chunks = Chunks.worthIt(file.size()) ? new ChunkDigester(Chunks.SIZE) : null;
      long total = 0;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[256 * 1024];
        long limit = file.size() + 1;
        int n;
        while (total < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) >= 0) {
          md.update(buf, 0, n);
          if (chunks != null) {
            chunks.update(buf, 0, n);
          }
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            ch.write(bb);
          }
          total += n;
        }
        ch.force(true);
      }
      Digest got = Digest.of(md.digest());
      if (total > file.size()) { // read stopped one byte past the size: the real size is unknown
        throw IntegrityException.longerThan(subject + " for " + file.path(), file.sha256(), file.size(),
            "the source is damaged or is not this model's file; try another source");
      }
      if (total != file.size() || !got.equals(file.sha256())) {
        throw new IntegrityException(subject + " for " + file.path(), file.sha256(), file.size(), got,
            total, "the source is damaged or is not this model's file; try another source");
      }
      publishTmp(tmp, file.sha256(), chunks == null ? Optional.empty() : chunks.finish().fitting(total));
    } catch (IOException e) {
      throw new StoreIOException("cannot write " + file.path() + " into the store", e);
    } finally {
      Files2.deleteQuietly(tmp);
    }
  }

  /** See {@link Store#publishVerified}. */
  void publishVerified(ModelFile file, Path verified) throws StoreException, IntegrityException {
    Path tmp = newTmp();
    try {
      try {
        // Only a plain file with one name becomes a blob: a link (or a second name of a user's
        // file) would make the store publish, and chmod, a file outside it.
        refuseForeign(verified, verified);
        Files.move(verified, tmp, StandardCopyOption.ATOMIC_MOVE);
        refuseForeign(verified, tmp); // swapped between the check and the move
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          ch.force(true);
        }
      } catch (AtomicMoveNotSupportedException cross) {
        try (InputStream in = Files.newInputStream(verified, LinkOption.NOFOLLOW_LINKS)) {
          put(file, in, verified.toString());
        }
        Files.deleteIfExists(verified);
        return;
      }
      long size = Files2.kind(tmp) == Files2.Kind.FILE ? Files2.sizeOf(tmp) : -1;
      if (size != file.size()) {
        throw new IntegrityException(verified.toString(), file.sha256(), file.size(), file.sha256(), size,
            "the download was changed after it was verified; run the install again");
      }
      publishTmp(tmp, file.sha256(), Optional.empty());
    } catch (IOException e) {
      throw new StoreIOException("cannot move " + verified + " into the store", e);
    } finally {
      Files2.deleteQuietly(tmp);
    }
  }

  private static void refuseForeign(Path verified, Path entry) throws IOException, StoreIOException {
    Optional<String> foreign = Entries.fileProblem(entry);
    if (foreign.isPresent()) {
      throw new StoreIOException("cannot move " + verified + " into the store: " + foreign.get()
          + "; Soko never publishes it. Run `soko cache clear` and install again", new IOException(foreign.get()));
    }
  }

  private Path newTmp() throws StoreIOException {
    try {
      Files.createDirectories(layout.dataTmp());
    } catch (IOException e) {
      throw new StoreIOException("cannot create " + layout.dataTmp(), e);
    }
    return layout.newBlobTmp();
  }

  /**
   * Sets a blob's modification time two seconds before its last write (whole seconds, for file
   * systems with a coarse granularity). Its record is then never "racily clean" (see
   * {@link VerificationRecords}): a later write to the blob would set a modification time after
   * the record's, so the stamp changes. Blobs are content-addressed: their time means nothing else.
   */
  private static void backdate(Path tmp) throws IOException {
    long seconds = Files.getLastModifiedTime(tmp, LinkOption.NOFOLLOW_LINKS).to(java.util.concurrent.TimeUnit.SECONDS);
    Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(seconds - 2, java.util.concurrent.TimeUnit.SECONDS));
  }

  /** Makes a verified temp file read-only and publishes it; records it as verified now. */
  private void publishTmp(Path tmp, Digest digest, Optional<Chunks> chunks) throws IOException {
    if (Files2.kind(tmp) != Files2.Kind.FILE) {
      throw new Files2.NotRegularFileException(tmp, Files2.kind(tmp)); // never chmod through a link
    }
    backdate(tmp);
    Files2.makeReadOnly(tmp);
    Path target = layout.blob(digest);
    quarantine.realFolder(target.getParent());
    Files2.Kind there = Files2.kind(target);
    if (there == Files2.Kind.FILE) {
      FileStamp now = FileStamp.of(target);
      Optional<VerificationRecord> rec = records.forStamp(digest, now);
      if (rec.isPresent() && rec.get().ok() && rec.get().matches(now)) {
        return;
      }
      // Present but unverified or corrupt: check it, and quarantine it when it is bad.
      Hashing.Measured m = Hashing.sha256(target);
      if (m.digest().equals(digest) && FileStamp.of(target).sameAs(now)) {
        // The stamp taken before hashing, so a change during the hash can never be recorded as good.
        records.write(digest, VerificationRecord.good(digest, now, clock.instant()));
        return;
      }
      quarantine.moveAside(target, "blob");
    } else if (there != Files2.Kind.MISSING) {
      quarantine.moveAside(target, "blob"); // a link, a folder or a FIFO where the blob belongs
    }
    Files2.publishNoReplace(tmp, target);
    records.write(digest, new VerificationRecord(digest, FileStamp.of(target), clock.instant(), true, "", chunks));
  }
}
