package soko.acquisition;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * The bytes of one file received so far: its locked partial file, the sha256 of that prefix, and
 * its {@link PartialMetadata} record. The network side ({@link FileJob}) only appends, restarts
 * and checkpoints through here.
 *
 * <p>Invariant: {@code pipe.digest()} holds the sha256 of exactly the first {@link #have()} bytes
 * of the partial file, and the partial file is {@link #have()} bytes long. The hashing runs on the
 * pipe's thread while the next buffer is received (see {@link HashPipe}). Used by one thread.
 */
final class Received implements AutoCloseable {
  private final ModelFile file;
  private final PartialFiles paths;
  /**
   * The partial file: opened without following links, and never closed by an interrupt (the way
   * fetches are cancelled); see {@link PartialFile}.
   */
  private final PartialFile data;
  private final HashPipe pipe;
  private byte[] buffer;
  private long have;
  private Optional<PartialMetadata> meta = Optional.empty();
  /**
   * The record of a partial received as ranges ({@link RangedTransfer}), kept for resuming them;
   * then {@link #have()} is 0 and the file's length says nothing.
   */
  private Optional<PartialMetadata> spans = Optional.empty();
  /** Where the bytes kept past the last checkpoint start, or -1 when every kept byte was checkpointed. */
  private long uncheckpointedFrom = -1;
  private long transferred;

  Received(ModelFile file, PartialFiles paths, PartialFile data, int bufferSize) {
    this.file = file;
    this.paths = paths;
    this.data = data;
    this.buffer = new byte[bufferSize];
    this.pipe = new HashPipe(bufferSize, file.path().value());
  }

  /** Bytes of the file on disk (and hashed). */
  long have() {
    return have;
  }

  /** Bytes received over the network into this file so far. */
  long transferred() {
    return transferred;
  }

  Optional<PartialMetadata> meta() {
    return meta;
  }

  /** The record of a partial received as ranges, when the bytes kept are such a partial. */
  Optional<PartialMetadata> spans() {
    return spans;
  }

  /** Bytes kept, as a prefix or as ranges. */
  long kept() {
    return have + spans.map(PartialMetadata::written).orElse(0L);
  }

  /** Records (and fsyncs) the ranges about to be received, in place of any kept bytes. */
  void recordSpans(PartialMetadata m) throws IOException {
    spans = Optional.of(m);
    meta = Optional.empty();
    m.write(paths.metadata(file.sha256()), paths.metadataTemp(file.sha256()));
  }

  /** What the ranges hold now, after an attempt at them (the record on disk says the same). */
  void spansProgressed(PartialMetadata m) {
    if (spans.isPresent()) {
      spans = Optional.of(m);
    }
  }

  /** The ranges are all received and the whole file matches the manifest (checked by the caller). */
  void completeRanged() {
    spans = Optional.empty();
    have = file.size();
  }

  /** The buffer to fill next; valid until the next {@link #append}. */
  byte[] buffer() {
    return buffer;
  }

  /**
   * Keeps the bytes of the partial file that some source can resume and re-hashes them. A partial
   * from a URL is kept when its record names a validator for one of the sources; a partial of a
   * file that has a registry source is kept in any case (a blob's digest is its own validator).
   *
   * @return true when the file already holds every byte and they match the manifest
   */
  boolean keep(List<FileJob.Source> sources, Emitter emitter) throws IOException {
    long length = data.size();
    Optional<PartialMetadata> record = PartialMetadata.read(paths.metadata(file.sha256())).filter(m -> m.describes(file));
    if (record.isPresent() && record.get().spans().size() > 1) {
      PartialMetadata r = record.get();
      // Received as ranges: holes read as zeros, so the length says nothing; the record says what
      // each range holds. Kept when its source is still listed and it has a validator.
      // A file with chunk digests keeps its whole chunks in any case: each was checked as it landed,
      // so they need neither that source nor its validator.
      boolean resumable = r.validator().isPresent() && sources.stream().anyMatch(s -> s.uri().equals(r.url()));
      if (length <= file.size() && (resumable || file.chunks().isPresent())) {
        spans = resumable ? record : Optional.of(r.rebased(r.url(), file.chunks().orElseThrow().chunkSize()));
        if (r.written() > 0) {
          emitter.emit(new TransferEvent.Verifying(file.path().value(), r.written()));
        }
        return false;
      }
      restart();
      return false;
    }
    meta = record.filter(m -> m.spans().size() == 1);
    boolean validated = meta.isPresent() && meta.get().validator().isPresent()
        && sources.stream().anyMatch(s -> s.uri().equals(meta.get().url()));
    boolean addressed = sources.stream().anyMatch(s -> s.transport().contentAddressed());
    long keep;
    if (length == file.size()) {
      keep = length; // Complete by length: the sha256 decides, no request needed (a Range would get 416).
    } else if (length < file.size() && (validated || addressed)) {
      // Keep every byte on disk, not only the checkpointed ones: after a killed process (kill -9,
      // crash) the page cache still holds them, so a resume loses nothing. Only a power loss can
      // leave a wrong tail; the final sha256 catches it and the tail past the checkpoint is fetched again.
      keep = length;
      long checkpointed = meta.map(PartialMetadata::bytes).orElse(0L);
      uncheckpointedFrom = checkpointed < length ? checkpointed : -1;
    } else {
      keep = 0;
    }
    if (keep < length) {
      data.truncate(keep);
    }
    if (keep == 0) {
      restart();
    }
    if (keep > 0 || file.size() == 0) {
      emitter.emit(new TransferEvent.Verifying(file.path().value(), keep));
      hashPrefix(keep);
    }
    have = keep;
    if (have == file.size()) {
      if (digest().equals(file.sha256())) {
        return true;
      }
      restart();
    }
    return false;
  }

  /** Whether the bytes kept so far may be continued from {@code source}. */
  boolean resumableFrom(FileJob.Source source) {
    return have > 0 && (source.transport().contentAddressed()
        || meta.map(m -> m.url().equals(source.uri()) && m.validator().isPresent()).orElse(false));
  }

  /** Drops every byte and the record: the next bytes start the file. */
  void restart() throws IOException {
    data.truncate(0);
    pipe.digest().reset();
    have = 0;
    meta = Optional.empty();
    spans = Optional.empty();
    uncheckpointedFrom = -1;
    Files.deleteIfExists(paths.metadata(file.sha256()));
  }

  /** Records (and fsyncs) what the source said about the bytes about to arrive. */
  void record(PartialMetadata m) throws IOException {
    meta = Optional.of(m);
    m.write(paths.metadata(file.sha256()), paths.metadataTemp(file.sha256()));
  }

  /** Writes the first {@code n} bytes of {@link #buffer()} after the bytes kept and hands them to the hasher. */
  void append(int n) throws IOException {
    data.write(buffer, n, have);
    buffer = pipe.handOff(buffer, n);
    have += n;
    transferred += n;
  }

  /** The sha256 of the bytes kept; it ends the running hash, so call it only once the file is complete. */
  Digest digest() {
    return Digest.of(pipe.digest().digest());
  }

  /**
   * After a wrong digest: when bytes past the last checkpoint were kept from an earlier run (a
   * power loss can leave them wrong), drops them, so the caller fetches them again.
   *
   * @return true when a tail was dropped
   */
  boolean dropUncheckpointedTail() throws IOException {
    if (uncheckpointedFrom < 0) {
      return false;
    }
    long floor = uncheckpointedFrom;
    uncheckpointedFrom = -1;
    data.truncate(floor);
    hashPrefix(floor);
    have = floor;
    meta = meta.map(m -> m.withBytes(floor));
    return true;
  }

  /** The bytes are what they are: a wrong digest from now on means wrong bytes, not a stale tail. */
  void trustAll() {
    uncheckpointedFrom = -1;
  }

  /**
   * Makes the bytes so far durable and records them, so a crash keeps them. Runs with the interrupt
   * status cleared (and restored), so that a cancelled fetch still saves its progress.
   */
  void checkpoint() throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      data.force();
      if (meta.isPresent()) {
        record(meta.get().withBytes(have));
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Makes every byte durable. */
  void force() throws IOException {
    data.force();
  }

  private void hashPrefix(long length) throws IOException {
    MessageDigest md = pipe.digest();
    md.reset();
    long pos = 0;
    while (pos < length) {
      int n = data.read(buffer, (int) Math.min(buffer.length, length - pos), pos);
      if (n < 0) {
        throw new IOException("the partial download ended at " + pos + " bytes, before " + length);
      }
      for (int off = 0; off < n; off += Hashing.BUFFER_SIZE) {
        md.update(buffer, off, Math.min(Hashing.BUFFER_SIZE, n - off));
      }
      pos += n;
    }
  }

  /** Stops the hashing thread; the partial file is the caller's to close. */
  @Override
  public void close() {
    pipe.close();
  }
}
