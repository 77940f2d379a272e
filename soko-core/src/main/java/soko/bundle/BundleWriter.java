package soko.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import soko.acquisition.oci.ModelPack;
import soko.acquisition.oci.ModelPackArtifact;
import soko.internal.io.AtomicFiles;
import soko.internal.json.Json;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Writes a bundle ({@link BundleFormat}): each model as the ModelPack artifact {@code soko push}
 * would publish (the same manifest bytes, so the same digest), plus signed catalogs.
 *
 * <p>Streaming: model files go from the store to the archive by {@link FileChannel#transferTo},
 * never through the heap. Deterministic: the same models and catalogs in the same order give the
 * same bytes (fixed header fields, mtime 0, fixed entry order: {@code oci-layout}, {@code
 * index.json}, the folders, manifests, configs, catalogs, then the files, each blob once).
 * Atomic: written to a temp file beside the target, fsynced, renamed over it, and the folder
 * fsynced; a failure or a kill leaves the target as it was (and, after a kill, a hidden temp file
 * {@code .NAME.UUID.tmp}). Thread-safe (no state).
 */
public final class BundleWriter {
  /**
   * One model to export: its manifest and where each of its files' verified blobs is. Immutable.
   *
   * @param manifest the installed manifest
   * @param blobs each file's sha256 to its verified blob in the store (copied); every file of the
   *     manifest must have one
   */
  public record Model(Manifest manifest, Map<Digest, Path> blobs) {
    /**
     * Copies the map and checks it.
     *
     * @throws IllegalArgumentException if a file of the manifest has no blob
     */
    public Model {
      blobs = Map.copyOf(blobs);
      for (ModelFile f : manifest.files()) {
        if (!blobs.containsKey(f.sha256())) {
          throw new IllegalArgumentException("no blob for " + f.path() + " of " + manifest.id());
        }
      }
    }
  }

  /**
   * A signed catalog envelope, exactly as accepted from its publisher. Immutable: the array is
   * copied in and out.
   *
   * @param catalogId the catalog's id
   * @param envelope the envelope's bytes
   */
  public record CatalogCopy(String catalogId, byte[] envelope) {
    /** Copies the array. */
    public CatalogCopy {
      envelope = envelope.clone();
    }

    /**
     * The envelope.
     *
     * @return a copy of the envelope's bytes
     */
    @Override
    public byte[] envelope() {
      return envelope.clone();
    }
  }

  /**
   * One model as written: its ModelPack manifest digest and its name in the index. Immutable.
   *
   * @param id the model, {@code name@version}
   * @param manifestDigest the digest of its ModelPack manifest, the same {@code soko push} gives
   * @param refName its name in the index, {@code NAME-VERSION}
   */
  public record WrittenModel(String id, Digest manifestDigest, String refName) {}

  /**
   * What was written. Immutable.
   *
   * @param file the bundle
   * @param bytes its size in bytes
   * @param models the models written, in order, each once (copied)
   * @param catalogs the ids of the catalogs written, in order, each once (copied)
   * @param blobs how many blobs the bundle holds
   */
  public record Written(Path file, long bytes, List<WrittenModel> models, List<String> catalogs, int blobs) {
    /** Copies the lists. */
    public Written {
      models = List.copyOf(models);
      catalogs = List.copyOf(catalogs);
    }
  }

  private BundleWriter() {}

  /**
   * The name of a model in the bundle's index.
   *
   * @param m the model's manifest
   * @return {@code NAME-VERSION}, as in {@code skopeo copy oci-archive:FILE:NAME-VERSION}
   */
  public static String refName(Manifest m) {
    return m.name().value() + "-" + m.version().text();
  }

  /**
   * Writes {@code models} and {@code catalogs} to {@code target}, replacing it atomically.
   *
   * @param target the bundle file to write
   * @param models the models, in order; a model given twice is written once
   * @param catalogs the catalogs, in order; a catalog id given twice is written once
   * @return what was written
   *
   * @throws BundleException when a file cannot be read or the bundle cannot be written; the target
   *     is then unchanged
   */
  public static Written write(Path target, List<Model> models, List<CatalogCopy> catalogs) throws BundleException {
    Map<Digest, byte[]> json = new LinkedHashMap<>();
    Map<Digest, Path> files = new LinkedHashMap<>();
    Map<Digest, Long> sizes = new LinkedHashMap<>();
    ArrayNode index = Json.array();
    List<WrittenModel> written = new ArrayList<>();
    List<byte[]> configs = new ArrayList<>();
    for (Model m : models) {
      // createdAt is the epoch unless the model carries its own: the same models give the same bytes
      // on every machine (as SOURCE_DATE_EPOCH=0 does for reproducible builds).
      ModelPackArtifact a = ModelPack.write(m.manifest(), Optional.empty(), java.time.Instant.EPOCH);
      if (json.containsKey(a.manifestDigest())) {
        continue;
      }
      json.put(a.manifestDigest(), a.manifest());
      configs.add(a.config());
      descriptor(index, a.manifest(), a.manifestDigest(), ModelPack.ARTIFACT_TYPE, refName(m.manifest()));
      for (ModelFile f : m.manifest().files()) {
        if (files.putIfAbsent(f.sha256(), m.blobs().get(f.sha256())) == null) {
          sizes.put(f.sha256(), f.size());
        }
      }
      written.add(new WrittenModel(m.manifest().id(), a.manifestDigest(), refName(m.manifest())));
    }
    List<byte[]> catalogBlobs = new ArrayList<>();
    List<String> catalogIds = new ArrayList<>();
    for (CatalogCopy c : catalogs) {
      if (catalogIds.contains(c.catalogId())) {
        continue;
      }
      byte[] envelope = c.envelope();
      byte[] manifest = catalogManifest(c.catalogId(), envelope);
      Digest d = Hashing.sha256(manifest);
      json.put(d, manifest);
      catalogBlobs.add(envelope);
      descriptor(index, manifest, d, BundleFormat.CATALOG_ARTIFACT, "catalog-" + c.catalogId());
      catalogIds.add(c.catalogId());
    }
    for (byte[] c : configs) {
      json.putIfAbsent(Hashing.sha256(c), c);
    }
    if (!catalogIds.isEmpty()) {
      json.putIfAbsent(Hashing.sha256(BundleFormat.EMPTY_JSON), BundleFormat.EMPTY_JSON);
    }
    for (byte[] e : catalogBlobs) {
      json.putIfAbsent(Hashing.sha256(e), e);
    }
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", BundleFormat.OCI_INDEX);
    root.set("manifests", index);
    byte[] indexBytes = Json.writeLine(root).getBytes(StandardCharsets.UTF_8);

    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = dir.resolve("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp");
    long bytes;
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
        TarWriter tar = new TarWriter(ch);
        tar.file(BundleFormat.LAYOUT_FILE, ("{\"imageLayoutVersion\":\"" + BundleFormat.LAYOUT_VERSION + "\"}")
            .getBytes(StandardCharsets.UTF_8));
        tar.file(BundleFormat.INDEX_FILE, indexBytes);
        tar.directory("blobs/");
        tar.directory(BundleFormat.BLOBS);
        for (Map.Entry<Digest, byte[]> e : json.entrySet()) {
          tar.file(BundleFormat.BLOBS + e.getKey().hex(), e.getValue());
        }
        for (Map.Entry<Digest, Path> e : files.entrySet()) {
          if (!json.containsKey(e.getKey())) {
            tar.file(BundleFormat.BLOBS + e.getKey().hex(), e.getValue(), sizes.get(e.getKey()));
          }
        }
        tar.finish();
        ch.force(true);
        bytes = tar.written();
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(dir);
    } catch (IOException e) {
      throw new BundleException("cannot write the bundle " + target + ": " + e.getMessage()
          + "; check the folder exists and has room, then run the export again", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the temp file is hidden and named as such; nothing else to do
      }
    }
    return new Written(abs, bytes, written, catalogIds, json.size() + (int) files.keySet().stream()
        .filter(d -> !json.containsKey(d)).count());
  }


  private static void descriptor(ArrayNode index, byte[] manifest, Digest d, String artifactType, String refName) {
    ObjectNode o = index.addObject();
    o.put("mediaType", BundleFormat.OCI_MANIFEST);
    o.put("digest", d.toString());
    o.put("size", manifest.length);
    o.put("artifactType", artifactType);
    o.putObject("annotations").put(BundleFormat.REF_NAME, refName);
  }

  /** The artifact manifest that carries one signed catalog. */
  static byte[] catalogManifest(String catalogId, byte[] envelope) {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", BundleFormat.OCI_MANIFEST);
    root.put("artifactType", BundleFormat.CATALOG_ARTIFACT);
    ObjectNode cfg = root.putObject("config");
    cfg.put("mediaType", BundleFormat.EMPTY_CONFIG);
    cfg.put("digest", Hashing.sha256(BundleFormat.EMPTY_JSON).toString());
    cfg.put("size", BundleFormat.EMPTY_JSON.length);
    ObjectNode layer = root.putArray("layers").addObject();
    layer.put("mediaType", BundleFormat.CATALOG_ENVELOPE);
    layer.put("digest", Hashing.sha256(envelope).toString());
    layer.put("size", envelope.length);
    layer.putObject("annotations").put(BundleFormat.CATALOG_ID, catalogId);
    root.putObject("annotations").put(BundleFormat.CATALOG_ID, catalogId);
    return Json.writeLine(root).getBytes(StandardCharsets.UTF_8);
  }
}
