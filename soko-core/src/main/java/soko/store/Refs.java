package soko.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;
import soko.manifest.ModelName;
import soko.manifest.Version;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Reads what is installed: {@code refs/<name>.json} and the manifests they name, and every manifest
 * on disk for gc. Never reads through a link: a ref or manifest that is a link is damaged. Writing
 * happens in {@link InstallTransaction} and {@link GarbageCollector} under the refs lock.
 * Thread-safe.
 */
final class Refs {
  private static final int MAX_REF_BYTES = 64 * 1024;
  private static final int MAX_PARSED_MANIFESTS = 4096;

  /** What a ref says. */
  record Ref(ModelName name, Version version, Digest manifestSha256, String origin, Instant installedAt) {
    byte[] toJson() {
      ObjectNode ref = Json.object();
      ref.put("name", name.value());
      ref.put("version", version.text());
      ref.put("manifestSha256", manifestSha256.hex());
      ref.put("origin", origin);
      ref.put("installedAt", installedAt.toString());
      return Json.write(ref);
    }
  }

  private final Layout layout;
  private final InstalledIndex index;

  /**
   * Manifests already parsed by this store, by the sha256 of their bytes: listing and storage use
   * read the same manifests, and strict parsing costs far more than reading and hashing them.
   * Keyed by content, so a changed file is parsed again; bounded for long-running processes.
   */
  private final Map<Digest, Manifest> parsedManifests = new ConcurrentHashMap<>();

  Refs(Layout layout) {
    this.layout = layout;
    this.index = new InstalledIndex(layout.installedIndex(), layout.installedIndexLock());
  }

  /**
   * The ref of that name, if there is one.
   *
   * @throws StoreConfigException when it is damaged, or is a link or anything but a regular file
   */
  Optional<Ref> read(ModelName name) throws StoreException {
    return read(layout.ref(name), name);
  }

  /** A file in the ref format at {@code p} (a ref, or the record of a previous version). */
  Optional<Ref> read(Path p, ModelName name) throws StoreException {
    byte[] bytes;
    try {
      bytes = Files2.readRegular(p, MAX_REF_BYTES);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (Files2.NotRegularFileException | Files2.TooLargeException e) {
      throw new StoreConfigException(e.getMessage() + ": run `soko install " + name + "` to reinstall the model", e);
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + p, e);
    }
    try {
      Node n = Json.parse(bytes, MAX_REF_BYTES, "ref");
      n.object(Set.of("name", "version", "manifestSha256", "origin", "installedAt"));
      return Optional.of(new Ref(n.get("name").parse(ModelName::parse, "a model name"),
          n.get("version").parse(Version::parse, "a semver version"),
          n.get("manifestSha256").parse(Digest::ofHex, "64 hex digits"),
          n.get("origin").text(),
          n.get("installedAt").instant()));
    } catch (JsonProblem e) {
      throw new StoreConfigException(p + " is damaged (" + e.getMessage() + "): run `soko install " + name
          + "` to reinstall the model", e);
    }
  }

  /** Whether anything (even a damaged ref, or a link) is at the ref's place. */
  boolean exists(ModelName name) {
    return Files2.kind(layout.ref(name)) != Files2.Kind.MISSING;
  }

  /** The names that have refs, sorted. */
  List<ModelName> names() throws StoreException {
    List<Path> refs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.refs(), "*.json")) {
      ds.forEach(refs::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreIOException("cannot list " + layout.refs(), e);
    }
    refs.sort(null);
    List<ModelName> names = new ArrayList<>();
    for (Path r : refs) {
      String file = r.getFileName().toString();
      try {
        names.add(ModelName.parse(file.substring(0, file.length() - ".json".length())));
      } catch (IllegalArgumentException e) {
        continue; // not one of ours (temp files start with '.')
      }
    }
    return names;
  }

  /**
   * See {@link Store#installed()}. A model whose ref and manifest still have the stamps the
   * {@link InstalledIndex} recorded is taken from the index; the others are read and checked from
   * their files, and the index is rewritten when it did not answer for every model.
   */
  List<InstalledModel> installed() throws StoreException {
    List<ModelName> names = names();
    InstalledIndex.Snapshot snapshot = index.read();
    long readAt = System.currentTimeMillis();
    List<Optional<InstalledIndex.Entry>> seen = ParallelReads.map(names, ParallelReads.SMALL_READS_PER_THREAD,
        "reading", n -> indexedOrRead(n, snapshot.entries().get(n), readAt));
    List<InstalledModel> out = new ArrayList<>();
    List<InstalledIndex.Entry> entries = new ArrayList<>();
    // Rewritten when it learnt an entry, or holds one that no longer answers (a model removed,
    // changed, or too new to vouch for), or is damaged.
    boolean learnt = false;
    int kept = 0;
    for (Optional<InstalledIndex.Entry> e : seen) {
      if (e.isEmpty()) {
        continue;
      }
      InstalledIndex.Entry x = e.get();
      out.add(new InstalledModel(x.manifest(), layout.manifest(x.ref().name(), x.ref().version(),
          x.ref().manifestSha256()), x.ref().installedAt(), x.ref().origin()));
      if (snapshot.entries().get(x.ref().name()) == x) {
        kept++;
        entries.add(x);
      } else if (x.refStamp() != FileStamp.MISSING) {
        learnt = true;
        entries.add(x);
      }
    }
    if (snapshot.damaged() || learnt || kept != snapshot.entries().size()) {
      index.write(entries);
    }
    return out;
  }

  /**
   * The model of that name: the index's entry when its files still have its stamps, else read from
   * the files (with the stamps taken before reading them, or {@link FileStamp#MISSING} stamps when
   * the files are too new for an entry to vouch for them). Empty when there is no ref.
   */
  private Optional<InstalledIndex.Entry> indexedOrRead(ModelName name, InstalledIndex.Entry indexed, long readAt)
      throws StoreException {
    Path refFile = layout.ref(name);
    FileStamp refStamp = InstalledIndex.stampOf(refFile);
    if (indexed != null && refStamp.sameAs(indexed.refStamp())) {
      Refs.Ref r = indexed.ref();
      FileStamp mfStamp = InstalledIndex.stampOf(layout.manifest(name, r.version(), r.manifestSha256()));
      if (mfStamp.sameAs(indexed.manifestStamp())) {
        return Optional.of(indexed);
      }
    }
    Optional<Ref> ref = read(refFile, name);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    Path mf = layout.manifest(name, ref.get().version(), ref.get().manifestSha256());
    FileStamp mfStamp = InstalledIndex.stampOf(mf);
    InstalledModel m = model(ref.get());
    boolean vouch = InstalledIndex.settled(refStamp, readAt) && InstalledIndex.settled(mfStamp, readAt)
        && m.manifest().name().equals(name) && m.manifest().version().equals(ref.get().version());
    return Optional.of(new InstalledIndex.Entry(ref.get(), vouch ? refStamp : FileStamp.MISSING, m.manifest(),
        vouch ? mfStamp : FileStamp.MISSING));
  }

  /** See {@link Store#installed(ModelName)}. */
  Optional<InstalledModel> installed(ModelName name) throws StoreException {
    Optional<Ref> ref = read(name);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(model(ref.get()));
  }

  /** The model a ref names, its manifest read and checked against the ref's sha256. */
  InstalledModel model(Ref r) throws StoreException {
    ModelName name = r.name();
    Optional<Ref> ref = Optional.of(r);
    Path mf = layout.manifest(name, ref.get().version(), ref.get().manifestSha256());
    byte[] bytes;
    try {
      bytes = Files2.readRegular(mf, ManifestCodec.MAX_BYTES);
    } catch (NoSuchFileException e) {
      throw new ModelIntegrityException(name + "@" + ref.get().version(), List.of("its manifest " + mf + " is missing"));
    } catch (Files2.NotRegularFileException | Files2.TooLargeException e) {
      throw new ModelIntegrityException(name + "@" + ref.get().version(), List.of("its manifest " + e.getMessage()));
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + mf, e);
    }
    if (!Hashing.sha256(bytes).equals(ref.get().manifestSha256())) {
      throw new ModelIntegrityException(name + "@" + ref.get().version(),
          List.of("its installed manifest " + mf + " was changed after install"));
    }
    try {
      Manifest m = parse(bytes, ref.get().manifestSha256(), mf);
      return new InstalledModel(m, mf, ref.get().installedAt(), ref.get().origin());
    } catch (ManifestException e) {
      throw new ModelIntegrityException(name + "@" + ref.get().version(), List.of(e.getMessage()));
    }
  }

  InstalledModel require(ModelName name) throws StoreException {
    return installed(name).orElseThrow(() -> new ModelNotInstalledException(name.value()));
  }

  /**
   * Every manifest on disk, also those of damaged refs, so gc never frees their blobs; those of
   * {@code known} are taken as they are, not read again, and those in {@code excluded} (the
   * manifests of a removal in progress) are left out. A manifest that cannot be read, or is a link,
   * counts for nothing: its blobs become orphans, which is what diagnostics shows.
   */
  List<InstalledModel> onDisk(List<InstalledModel> known, Set<Path> excluded) throws IOException {
    List<InstalledModel> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>(excluded);
    for (InstalledModel m : known) {
      if (!excluded.contains(m.manifestFile())) {
        out.add(m);
        seen.add(m.manifestFile());
      }
    }
    for (Path dir : Files2.listDirs(layout.manifests())) {
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        ds.forEach(entries::add);
      } catch (NoSuchFileException e) {
        continue;
      }
      for (Path mf : entries) {
        // Names first, so that the manifests already read cost no stat at all.
        String file = mf.getFileName().toString();
        if (!file.endsWith(".json") || file.startsWith(".") || seen.contains(mf)) {
          continue;
        }
        try {
          byte[] bytes = Files2.readRegular(mf, ManifestCodec.MAX_BYTES);
          out.add(new InstalledModel(parse(bytes, Hashing.sha256(bytes), mf), mf, Instant.EPOCH, ""));
        } catch (ManifestException | NoSuchFileException | Files2.NotRegularFileException
            | Files2.TooLargeException e) {
          // Invalid, gone meanwhile, or a link (never followed): its blobs may become orphans. An
          // I/O error is thrown instead, so that gc never frees blobs of a manifest it could not read.
        }
      }
    }
    return out;
  }

  /** Parses a manifest whose bytes have the given sha256, once per store and content. */
  private Manifest parse(byte[] bytes, Digest sha256, Path source) throws ManifestException {
    Manifest known = parsedManifests.get(sha256);
    if (known != null) {
      return known;
    }
    Manifest m = ManifestCodec.parse(bytes, source.toString());
    if (parsedManifests.size() >= MAX_PARSED_MANIFESTS) {
      parsedManifests.clear();
    }
    parsedManifests.put(sha256, m);
    return m;
  }
}
