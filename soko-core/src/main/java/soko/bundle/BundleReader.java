package soko.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import soko.manifest.Manifest;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * Reads a bundle ({@link BundleFormat}) in one streaming pass and stages the blobs the store lacks.
 *
 * <p>Every entry's header is checked before its content is read ({@link TarReader}); only the
 * layout's own names are accepted ({@code oci-layout}, {@code index.json}, {@code blobs/}, {@code
 * blobs/sha256/}, {@code blobs/sha256/<64 hex>}), each once. A blob the store already holds is
 * skipped; any other blob is written to the staging folder while its sha256 is computed, and kept
 * (renamed to {@code bundle-<hex>}) only if it matches its name, else the read stops with an
 * {@link IntegrityException}. A blob staged by an earlier run that was interrupted is not written
 * again. After the archive: the index must list only image manifests, each manifest must be a
 * ModelPack model or a Soko catalog, every blob they name must be in the archive (or the store)
 * with the size they give, and every blob in the archive must be named by one of them.
 *
 * <p>On a refusal the blobs this run staged are deleted (a bad bundle leaves nothing behind); a
 * kill leaves them for the next run (and {@code soko gc} deletes staged files a day old).
 *
 * <p>Staging files: {@code bundle-<hex>} (verified), {@code bundle-<hex>.<pid>.part} (being
 * written by process {@code pid}; removed by the next read once that process is gone). Not
 * thread-safe; several processes may stage into one folder at once.
 */
public final class BundleReader {

  /** A model in the bundle: its name in the index, its ModelPack manifest digest, and the Soko manifest it carries. */
  public record BundleModel(String refName, Digest manifestDigest, Manifest manifest) {}

  /** A signed catalog envelope carried in the bundle, not yet verified (that needs this machine's trusted keys). */
  public record CarriedCatalog(String catalogId, byte[] envelope) {
    public CarriedCatalog {
      envelope = envelope.clone();
    }

    @Override
    public byte[] envelope() {
      return envelope.clone();
    }
  }

  /** Progress of a read: bytes of the file consumed so far, of its whole length. Called from the reading thread. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (entry, read, total, staged) -> {};

    /**
     * @param entry the blob just finished, verified ({@code staged}) or skipped (already in the store or staged before)
     */
    void blob(String entry, long read, long total, boolean staged);
  }

  /**
   * What a bundle holds, read and checked. {@code staged} maps the digest of each model file the
   * store lacked to its verified copy in the staging folder.
   */
  public record Contents(List<BundleModel> models, List<CarriedCatalog> catalogs, Map<Digest, Path> staged,
      long blobsWritten, long bytesWritten, long blobsSkipped) {
    public Contents {
      models = List.copyOf(models);
      catalogs = List.copyOf(catalogs);
      staged = Map.copyOf(staged);
    }
  }

  private final Path file;
  private final String label;
  private final Path staging;
  private final BundleStaging stage;
  private final Predicate<Digest> inStore;
  private final BundleIndex index;
  private final Listener listener;

  /**
   * @param staging the folder to stage blobs in: on the store's file system, inside the store
   * @param inStore whether the store holds a verified blob (its bytes in the bundle are then skipped)
   * @param storePath where the store keeps a blob (to read a manifest the store happens to hold)
   */
  public BundleReader(Path file, Path staging, Predicate<Digest> inStore, java.util.function.Function<Digest, Path> storePath,
      Listener listener) {
    this.file = file;
    this.label = "bundle " + file;
    this.staging = staging;
    this.stage = new BundleStaging(staging, label);
    this.inStore = inStore;
    this.index = new BundleIndex(label, inStore, storePath);
    this.listener = listener;
  }

  /** Reads and checks the whole bundle; see the class comment. */
  public Contents read() throws BundleException, IntegrityException {
    List<Path> stagedNow = new ArrayList<>();
    boolean ok = false;
    try {
      Contents c = readChecked(stagedNow);
      ok = true;
      return c;
    } finally {
      if (!ok) {
        stagedNow.forEach(BundleStaging::discard);
      }
    }
  }

  private Contents readChecked(List<Path> stagedNow) throws BundleException, IntegrityException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new BundleException(label + " does not exist; give the path of a .tar written by `soko bundle export`", e);
    } catch (IOException e) {
      throw new BundleException("cannot read " + label + ": " + e.getMessage(), e);
    }
    if (!attrs.isRegularFile()) {
      throw new BundleException(label + " is not a regular file" + (attrs.isDirectory() ? " but a folder" : "")
          + "; give the path of a .tar written by `soko bundle export`");
    }
    try {
      Files.createDirectories(staging);
      stage.cleanAbandonedParts();
    } catch (IOException e) {
      throw new BundleException("cannot prepare the staging folder " + staging + ": " + e.getMessage(), e);
    }
    byte[] layout = null;
    byte[] indexJson = null;
    Map<Digest, Long> present = new LinkedHashMap<>();
    Map<Digest, Path> staged = new HashMap<>();
    Set<String> names = new HashSet<>();
    long written = 0;
    long bytesWritten = 0;
    long skipped = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch), BundleStaging.BUFFER)) {
      long length = ch.size();
      TarReader tar = new TarReader(in, length, label);
      int entries = 0;
      for (Optional<TarReader.Entry> next = tar.next(); next.isPresent(); next = tar.next()) {
        TarReader.Entry e = next.get();
        if (++entries > BundleFormat.MAX_ENTRIES) {
          throw tar.fail("has more than " + BundleFormat.MAX_ENTRIES + " entries; refused");
        }
        if (!names.add(e.name())) {
          throw tar.fail("has two entries named \"" + Names.shown(e.name()) + "\"; an archive with duplicates could"
              + " show different content to different readers: refused");
        }
        if (e.kind() == TarReader.Kind.DIRECTORY) {
          if (!Set.of(".", "blobs", "blobs/sha256").contains(e.name())) {
            throw tar.fail("has the folder \"" + Names.shown(e.name()) + "\", which is not part of an OCI image layout"
                + " (oci-layout, index.json, blobs/sha256/<64 hex>); refused");
          }
          continue;
        }
        if (e.name().equals(BundleFormat.LAYOUT_FILE)) {
          layout = tar.readAll(4096);
          continue;
        }
        if (e.name().equals(BundleFormat.INDEX_FILE)) {
          indexJson = tar.readAll(BundleFormat.MAX_JSON);
          continue;
        }
        Matcher m = BundleFormat.BLOB_NAME.matcher(e.name());
        if (!m.matches()) {
          throw tar.fail("has the entry \"" + Names.shown(e.name()) + "\", which is not part of an OCI image layout"
              + " (oci-layout, index.json, blobs/sha256/<64 hex>); refused");
        }
        Digest d = Digest.ofHex(m.group(1));
        if (e.size() > soko.manifest.ModelFile.MAX_SIZE) {
          throw tar.fail("entry \"" + e.name() + "\" declares " + e.size() + " bytes; a model file is at most "
              + soko.manifest.ModelFile.MAX_SIZE);
        }
        present.put(d, e.size());
        Path target = stage.target(d);
        if (inStore.test(d)) {
          skipped++;
          listener.blob(e.name(), tar.position(), length, false);
          continue;
        }
        if (BundleStaging.isStaged(target, e.size())) {
          staged.put(d, target);
          skipped++;
          listener.blob(e.name(), tar.position(), length, false);
          continue;
        }
        stage.stage(tar, e, d, target);
        stagedNow.add(target);
        staged.put(d, target);
        written++;
        bytesWritten += e.size();
        listener.blob(e.name(), tar.position(), length, true);
      }
    } catch (IOException e) {
      throw new BundleException("cannot read " + label + ": " + e.getMessage(), e);
    }
    if (layout == null) {
      throw new BundleException(label + " has no oci-layout file, so it is not an OCI image layout; write bundles with"
          + " `soko bundle export`");
    }
    index.checkLayout(layout);
    if (indexJson == null) {
      throw new BundleException(label + " has no index.json, so it lists no models; write bundles with"
          + " `soko bundle export`");
    }
    return index.interpret(indexJson, present, staged, written, bytesWritten, skipped);
  }
}
