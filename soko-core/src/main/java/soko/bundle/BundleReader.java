package soko.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
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
import soko.acquisition.oci.ModelPack;
import soko.acquisition.oci.OciFormatException;
import soko.acquisition.oci.OciReference;
import soko.acquisition.oci.PulledManifest;
import soko.internal.io.AtomicFiles;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Manifest;
import soko.verification.Digest;
import soko.verification.Hashing;
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
  static final String STAGED_PREFIX = "bundle-";
  private static final String PART = ".part";
  private static final OciReference WHERE = OciReference.parse("oci://bundle.invalid/soko-bundle");
  private static final int BUFFER = 1 << 20;

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
  private final Predicate<Digest> inStore;
  private final java.util.function.Function<Digest, Path> storePath;
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
    this.inStore = inStore;
    this.storePath = storePath;
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
        for (Path p : stagedNow) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) {
            // left for gc, which removes staged files a day old
          }
        }
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
      cleanAbandonedParts();
    } catch (IOException e) {
      throw new BundleException("cannot prepare the staging folder " + staging + ": " + e.getMessage(), e);
    }
    byte[] layout = null;
    byte[] index = null;
    Map<Digest, Long> present = new LinkedHashMap<>();
    Map<Digest, Path> staged = new HashMap<>();
    Set<String> names = new HashSet<>();
    long written = 0;
    long bytesWritten = 0;
    long skipped = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch), BUFFER)) {
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
          index = tar.readAll(BundleFormat.MAX_JSON);
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
        Path target = staging.resolve(STAGED_PREFIX + d.hex());
        if (inStore.test(d)) {
          skipped++;
          listener.blob(e.name(), tar.position(), length, false);
          continue;
        }
        if (isStaged(target, e.size())) {
          staged.put(d, target);
          skipped++;
          listener.blob(e.name(), tar.position(), length, false);
          continue;
        }
        stage(tar, e, d, target);
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
    checkLayout(layout);
    if (index == null) {
      throw new BundleException(label + " has no index.json, so it lists no models; write bundles with"
          + " `soko bundle export`");
    }
    return interpret(index, present, staged, written, bytesWritten, skipped);
  }

  private Contents interpret(byte[] index, Map<Digest, Long> present, Map<Digest, Path> staged, long written,
      long bytesWritten, long skipped) throws BundleException {
    Set<Digest> named = new HashSet<>();
    List<BundleModel> models = new ArrayList<>();
    List<CarriedCatalog> catalogs = new ArrayList<>();
    Map<String, String> modelIds = new HashMap<>();
    long[] jsonBudget = {BundleFormat.MAX_JSON_TOTAL};
    List<Descriptor> manifests;
    try {
      Node root = Json.parse(index, BundleFormat.MAX_JSON, "index.json");
      long schema = root.get("schemaVersion").integer(0, 100);
      if (schema != 2) {
        throw root.get("schemaVersion").problem("is " + schema + "; an OCI image index has 2");
      }
      if (root.opt("mediaType").isPresent() && !root.get("mediaType").text().equals(BundleFormat.OCI_INDEX)) {
        throw root.get("mediaType").problem("is \"" + root.get("mediaType").text() + "\", not " + BundleFormat.OCI_INDEX);
      }
      manifests = root.get("manifests").list(BundleFormat.MAX_MANIFESTS, Descriptor::read);
      for (int i = 0; i < manifests.size(); i++) {
        Descriptor d = manifests.get(i);
        if (d.mediaType().equals(BundleFormat.OCI_INDEX) || d.mediaType().contains("manifest.list")) {
          throw new JsonProblem("/manifests/" + i + "/mediaType", "names a nested index (" + d.digest()
              + "); a bundle lists its model manifests directly");
        }
        if (!d.mediaType().equals(BundleFormat.OCI_MANIFEST)) {
          throw new JsonProblem("/manifests/" + i + "/mediaType", "is \"" + Names.shown(d.mediaType()) + "\"; a bundle lists"
              + " OCI image manifests (" + BundleFormat.OCI_MANIFEST + ")");
        }
      }
    } catch (JsonProblem p) {
      throw new BundleException(label + ": index.json is invalid at " + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": "
          + p.problem() + "; write bundles with `soko bundle export`", p);
    }
    if (manifests.isEmpty()) {
      throw new BundleException(label + ": index.json lists no manifests, so the bundle holds no models");
    }
    Set<Digest> seenManifests = new HashSet<>();
    for (Descriptor d : manifests) {
      if (!seenManifests.add(d.digest())) {
        continue;
      }
      byte[] manifest = blob(d, "manifest", present, staged, jsonBudget);
      named.add(d.digest());
      Node root;
      String artifactType;
      Descriptor config;
      List<Descriptor> layers;
      try {
        root = Json.parse(manifest, BundleFormat.MAX_JSON, "manifest");
        String mediaType = root.opt("mediaType").isPresent() ? root.get("mediaType").text() : "";
        if (!mediaType.equals(BundleFormat.OCI_MANIFEST)) {
          throw root.opt("mediaType").orElse(root).problem("media type \"" + Names.shown(mediaType) + "\" is not "
              + BundleFormat.OCI_MANIFEST);
        }
        config = Descriptor.read(root.get("config"));
        artifactType = root.opt("artifactType").isPresent() ? root.get("artifactType").text() : config.mediaType();
        layers = root.get("layers").list(10_001, Descriptor::read);
      } catch (JsonProblem p) {
        throw new BundleException(label + ": manifest " + d.digest() + " is invalid at "
            + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": " + p.problem(), p);
      }
      named.add(config.digest());
      if (artifactType.equals(ModelPack.ARTIFACT_TYPE) || artifactType.equals(ModelPack.CONFIG_TYPE)) {
        byte[] cfg = blob(config, "config", present, staged, jsonBudget);
        PulledManifest pulled;
        try {
          pulled = ModelPack.read(manifest, d.digest(), cfg, WHERE);
        } catch (OciFormatException e) {
          throw new BundleException(label + ": manifest " + d.digest() + ": "
              + e.getMessage().replace(WHERE.withDigest(d.digest()).toString(), "").replaceFirst("^: ", ""), e);
        }
        for (Descriptor l : layers) {
          requirePresent(l, "layer of " + pulled.model().id(), present);
          named.add(l.digest());
        }
        String id = pulled.model().id();
        String before = modelIds.putIfAbsent(pulled.model().name().value(), id);
        if (before != null) {
          throw new BundleException(label + " holds two models named " + pulled.model().name() + " (" + before + " and " + id
              + "); export one version per bundle");
        }
        models.add(new BundleModel(d.refName().orElse(id), d.digest(), pulled.model()));
      } else if (artifactType.equals(BundleFormat.CATALOG_ARTIFACT)) {
        if (layers.size() != 1 || !layers.getFirst().mediaType().equals(BundleFormat.CATALOG_ENVELOPE)) {
          throw new BundleException(label + ": catalog manifest " + d.digest() + " must have exactly one layer of type "
              + BundleFormat.CATALOG_ENVELOPE);
        }
        Descriptor l = layers.getFirst();
        String id = l.annotations().get(BundleFormat.CATALOG_ID);
        if (id == null) {
          throw new BundleException(label + ": catalog manifest " + d.digest() + " does not name its catalog ("
              + BundleFormat.CATALOG_ID + ")");
        }
        if (l.size() > BundleFormat.MAX_ENVELOPE) {
          throw new BundleException(label + ": catalog " + Names.shown(id) + " is " + l.size() + " bytes; at most "
              + BundleFormat.MAX_ENVELOPE + " are accepted");
        }
        blob(config, "config", present, staged, jsonBudget);
        named.add(l.digest());
        catalogs.add(new CarriedCatalog(id, blob(l, "catalog", present, staged, jsonBudget)));
      } else {
        throw new BundleException(label + ": manifest " + d.digest() + " has the artifact type \"" + Names.shown(artifactType)
            + "\"; a bundle holds ModelPack models (" + ModelPack.ARTIFACT_TYPE + ") and Soko catalogs only");
      }
    }
    for (Digest p : present.keySet()) {
      if (!named.contains(p)) {
        throw new BundleException(label + " holds the blob " + p + ", which no manifest names; refused (a bundle carries"
            + " only what its models need)");
      }
    }
    if (models.isEmpty()) {
      throw new BundleException(label + " holds no models (only catalogs)");
    }
    Map<Digest, Path> modelBlobs = new LinkedHashMap<>();
    for (BundleModel m : models) {
      for (soko.manifest.ModelFile f : m.manifest().files()) {
        Path p = staged.get(f.sha256());
        if (p != null) {
          modelBlobs.put(f.sha256(), p);
        }
      }
    }
    for (Map.Entry<Digest, Path> e : staged.entrySet()) {
      if (!modelBlobs.containsKey(e.getKey())) {
        try {
          Files.deleteIfExists(e.getValue()); // manifests, configs, catalogs: read, no longer needed
        } catch (IOException ignored) {
          // left for gc
        }
      }
    }
    return new Contents(models, catalogs, modelBlobs, written, bytesWritten, skipped);
  }

  private void requirePresent(Descriptor d, String what, Map<Digest, Long> present) throws BundleException {
    Long size = present.get(d.digest());
    if (size == null) {
      if (inStore.test(d.digest())) {
        return;
      }
      throw new BundleException(label + ": the " + what + " " + d.digest() + " is not in the bundle; it is incomplete:"
          + " export it again");
    }
    if (size != d.size()) {
      throw new BundleException(label + ": the " + what + " " + d.digest() + " is " + size + " bytes in the bundle but its"
          + " manifest says " + d.size());
    }
  }

  /** The bytes of a small JSON blob, from the staging folder or the store. */
  private byte[] blob(Descriptor d, String what, Map<Digest, Long> present, Map<Digest, Path> staged, long[] budget)
      throws BundleException {
    requirePresent(d, what, present);
    if (d.size() > BundleFormat.MAX_JSON && !what.equals("catalog")) {
      throw new BundleException(label + ": the " + what + " " + d.digest() + " is " + d.size() + " bytes; at most "
          + BundleFormat.MAX_JSON + " are accepted");
    }
    budget[0] -= d.size();
    if (budget[0] < 0) {
      throw new BundleException(label + " holds more than " + BundleFormat.MAX_JSON_TOTAL + " bytes of manifests and"
          + " catalogs; refused");
    }
    Path p = staged.getOrDefault(d.digest(), storePath.apply(d.digest()));
    try {
      byte[] bytes = Files.readAllBytes(p);
      if (bytes.length != d.size() || !Hashing.sha256(bytes).equals(d.digest())) {
        throw new BundleException(label + ": the staged " + what + " " + d.digest() + " changed after it was verified;"
            + " run the import again");
      }
      return bytes;
    } catch (IOException e) {
      throw new BundleException("cannot read the staged " + what + " " + p + ": " + e.getMessage(), e);
    }
  }

  private void checkLayout(byte[] layout) throws BundleException {
    try {
      Node root = Json.parse(layout, 4096, "oci-layout");
      String v = root.get("imageLayoutVersion").text();
      if (!v.equals(BundleFormat.LAYOUT_VERSION)) {
        throw root.get("imageLayoutVersion").problem("is \"" + Names.shown(v) + "\"; Soko reads layout version "
            + BundleFormat.LAYOUT_VERSION);
      }
    } catch (JsonProblem p) {
      throw new BundleException(label + ": oci-layout is invalid at " + (p.pointer().isEmpty() ? "/" : p.pointer()) + ": "
          + p.problem(), p);
    }
  }

  private static boolean isStaged(Path target, long size) {
    try {
      BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() && a.size() == size;
    } catch (IOException e) {
      return false;
    }
  }

  /** Streams the current entry to a part file, hashing it; keeps it only if it matches {@code d}. */
  private void stage(TarReader tar, TarReader.Entry e, Digest d, Path target)
      throws BundleException, IntegrityException, IOException {
    Path part = staging.resolve(STAGED_PREFIX + d.hex() + "." + ProcessHandle.current().pid() + PART);
    MessageDigest md = Hashing.newSha256();
    byte[] buf = new byte[BUFFER];
    long total = 0;
    try {
      try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        int n;
        while ((n = tar.read(buf, 0, buf.length)) >= 0) {
          md.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            out.write(bb);
          }
          total += n;
        }
        Digest actual = Digest.of(md.digest());
        if (!actual.equals(d) || total != e.size()) {
          throw new IntegrityException(label + ": " + e.name(), d, e.size(), actual, total,
              "the bundle is damaged or was altered: export it again");
        }
        out.force(true);
      }
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        // another import staged the same verified bytes meanwhile
      }
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Deletes part files of processes that are gone (a kill mid-blob). */
  private void cleanAbandonedParts() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging, STAGED_PREFIX + "*" + PART)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        String[] parts = n.substring(0, n.length() - PART.length()).split("\\.");
        if (parts.length != 2) {
          continue;
        }
        try {
          long pid = Long.parseLong(parts[1]);
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && pid != ProcessHandle.current().pid()) {
            continue;
          }
          Files.deleteIfExists(p);
        } catch (NumberFormatException notOurs) {
          // not a part file this class wrote
        }
      }
    }
    AtomicFiles.syncDirectory(staging);
  }

  /** An OCI descriptor as a bundle uses it. */
  record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    Optional<String> refName() {
      return Optional.ofNullable(annotations.get(BundleFormat.REF_NAME));
    }

    static Descriptor read(Node n) throws JsonProblem {
      String mediaType = n.get("mediaType").text();
      Digest digest = n.get("digest").parse(Digest::parse, "sha256:<64 lower-case hex>");
      long size = n.get("size").integer(0, soko.manifest.ModelFile.MAX_SIZE);
      Map<String, String> annotations = new LinkedHashMap<>();
      if (n.opt("annotations").isPresent()) {
        for (Node.Member m : n.get("annotations").members(1024)) {
          annotations.put(m.key(), m.value().text());
        }
      }
      return new Descriptor(mediaType, digest, size, annotations);
    }
  }
}
