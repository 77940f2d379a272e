package soko.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.acquisition.oci.ModelPack;
import soko.bundle.BundleException;
import soko.bundle.BundleReader;
import soko.bundle.BundleWriter;
import soko.catalog.CatalogEntry;
import soko.catalog.CatalogException;
import soko.internal.json.Json;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.model.VerifiedModel;
import soko.store.InstalledModel;
import soko.store.Store;
import soko.store.StoreException;
import soko.verification.Digest;
import soko.verification.IntegrityException;

/**
 * Offline bundles: {@code soko bundle export} and {@code soko bundle import}. A bundle carries
 * models as ModelPack artifacts in an OCI image layout, with the signed catalogs that list them
 * ({@link soko.bundle.BundleFormat}); importing one never touches the network.
 *
 * <p><b>Trust.</b> A model of a bundle is installed as a catalog model only when a catalog this
 * machine trusts lists the same name@version with the same content (every file's path, size and
 * sha256, tasks, engine, licence): the built-in catalog, a configured catalog already accepted, or
 * a signed catalog carried by the bundle that verifies with the keys configured for its catalog id
 * (it is then kept, as {@code soko catalog update} would). It is installed with the catalog's
 * manifest, so its download sources serve later repairs. Any other model is refused unless the
 * caller passes {@code trustUnsigned}; it is then recorded with the origin {@code bundle:FILE
 * (unsigned)}, which {@code list --json} and the page show. A model whose name@version a catalog
 * describes differently is refused even then. Nothing is installed unless every model of the
 * bundle passes.
 *
 * <p><b>Crash safety.</b> Blobs are staged in the store's temp folder as they verify and published
 * by rename; a model is recorded only once all its files are in the store. Running the same import
 * again after a kill writes only the blobs that were neither staged nor published.
 *
 * <p>Thread-safe.
 */
public final class Bundles {
  /** The origin suffix of a model installed from a bundle without a catalog's signature. */
  public static final String UNSIGNED = " (unsigned)";
  /** The origin prefix of a model installed from a bundle, followed by the bundle's file name. */
  public static final String ORIGIN_PREFIX = "bundle:";

  private final Soko soko;

  /**
   * Bundles of the store and catalogs of {@code soko}.
   *
   * @param soko the Soko to export from and import into
   */
  public Bundles(Soko soko) {
    this.soko = soko;
  }

  // ---------------------------------------------------------------- export

  /**
   * What an export wrote. Immutable.
   *
   * @param file the bundle written
   * @param bytes its size in bytes
   * @param models the models written, in order, each once
   * @param catalogs the ids of the signed catalogs written with them, in order; empty when no
   *     configured remote catalog lists them
   */
  public record ExportResult(Path file, long bytes, List<BundleWriter.WrittenModel> models, List<String> catalogs) {
    /**
     * Copies the lists.
     *
     * @param file the bundle written
     * @param bytes its size in bytes
     * @param models the models written; copied, not null
     * @param catalogs the ids of the catalogs written; copied, not null
     */
    public ExportResult {
      models = List.copyOf(models);
      catalogs = List.copyOf(catalogs);
    }

    /**
     * What {@code soko bundle export --json} prints.
     *
     * @return {@code {"file","bytes","models":[{"model","digest","ref"}],"catalogs":[…]}}, pretty-printed,
     *     ending with a newline
     */
    public String toJson() {
      ObjectNode o = Json.object();
      o.put("file", file.toString());
      o.put("bytes", bytes);
      ArrayNode ms = o.putArray("models");
      for (BundleWriter.WrittenModel m : models) {
        ObjectNode x = ms.addObject();
        x.put("model", m.id());
        x.put("digest", m.manifestDigest().toString());
        x.put("ref", m.refName());
      }
      catalogs.forEach(o.putArray("catalogs")::add);
      return Reports.json(o);
    }
  }

  /**
   * Writes the installed models {@code names} to {@code out}, with the signed catalogs that list
   * them. Each model is verified first (a {@code stat} for files unchanged since their last check),
   * so a corrupt model is refused before anything is written.
   *
   * @param names the installed models' names (a model named twice is written once); not empty
   * @param out the bundle file to write, outside the store, in an existing folder
   * @param replace whether an existing {@code out} may be replaced
   * @return what was written
   * @throws AppException when {@code names} is empty ({@link UnknownModelException})
   * @throws StoreException when a model is not installed or does not verify, or the store cannot be read
   * @throws CatalogException when the stored catalogs cannot be read
   * @throws BundleException when {@code out} is inside the store, exists without {@code replace}, is
   *     not a regular file, its folder does not exist, or it cannot be written
   */
  public ExportResult export(List<String> names, Path out, boolean replace)
      throws AppException, StoreException, CatalogException, BundleException {
    if (names.isEmpty()) {
      throw new UnknownModelException("name at least one installed model to export (`soko list` shows them)");
    }
    Path target = out.toAbsolutePath().normalize();
    for (Path root : List.of(soko.store().roots().data(), soko.store().roots().cache())) {
      if (target.startsWith(root.toAbsolutePath().normalize())) {
        throw new BundleException("the bundle " + out + " would be written inside Soko's store (" + root
            + "); write it somewhere else, such as a USB stick or your home folder");
      }
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!replace) {
        throw new BundleException(out + " already exists; pass --force to replace it, or choose another name");
      }
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new BundleException(out + " exists and is not a regular file; choose another name");
      }
    }
    if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
      throw new BundleException("the folder of " + out + " does not exist; create it first");
    }
    List<BundleWriter.Model> models = new ArrayList<>();
    Map<String, BundleWriter.CatalogCopy> catalogs = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      VerifiedModel v = soko.verified(name);
      Manifest m = v.manifest();
      if (!seen.add(m.id())) {
        continue;
      }
      Map<Digest, Path> blobs = new LinkedHashMap<>();
      for (ModelFile f : m.files()) {
        blobs.putIfAbsent(f.sha256(), v.file(f.path().value()));
      }
      models.add(new BundleWriter.Model(m, blobs));
      for (BundleWriter.CatalogCopy c : soko.signedCatalogsListing(m)) {
        catalogs.putIfAbsent(c.catalogId(), c);
      }
    }
    BundleWriter.Written w = BundleWriter.write(target, models, List.copyOf(catalogs.values()));
    return new ExportResult(w.file(), w.bytes(), w.models(), w.catalogs());
  }

  // ---------------------------------------------------------------- import

  /**
   * One model of an import: whether a trusted catalog vouched for it, and which. Immutable.
   *
   * @param model the model, {@code name@version}
   * @param signed true when a trusted catalog lists it with the same content
   * @param vouchedBy the ids of the catalogs that list it, comma-separated; empty when unsigned
   * @param alreadyInstalled true when the same model was installed and complete, so nothing was written
   * @param origin the origin recorded for it, such as {@code bundle:FILE} or {@code bundle:FILE (unsigned)}
   *     (the existing origin when it was already installed)
   */
  public record ImportedModel(String model, boolean signed, Optional<String> vouchedBy, boolean alreadyInstalled,
      String origin) {}

  /**
   * What an import did. Immutable.
   *
   * @param file the bundle read
   * @param models the models of the bundle, in its order
   * @param blobsWritten the blobs staged from the bundle
   * @param bytesWritten their total size in bytes
   * @param blobsSkipped the blobs the store already had
   * @param notes one line per signed catalog the bundle carried, saying what happened to it
   */
  public record ImportResult(Path file, List<ImportedModel> models, long blobsWritten, long bytesWritten, long blobsSkipped,
      List<String> notes) {
    /**
     * Copies the lists.
     *
     * @param file the bundle read
     * @param models the models of the bundle; copied, not null
     * @param blobsWritten the blobs staged from the bundle
     * @param bytesWritten their total size in bytes
     * @param blobsSkipped the blobs the store already had
     * @param notes one line per carried catalog; copied, not null
     */
    public ImportResult {
      models = List.copyOf(models);
      notes = List.copyOf(notes);
    }

    /**
     * What {@code soko bundle import --json} prints.
     *
     * @return {@code {"file","models":[{"model","signed","vouchedBy","alreadyInstalled","origin"}],
     *     "blobsWritten","bytesWritten","blobsSkipped","notes":[…]}}, pretty-printed, ending with a newline
     */
    public String toJson() {
      ObjectNode o = Json.object();
      o.put("file", file.toString());
      ArrayNode ms = o.putArray("models");
      for (ImportedModel m : models) {
        ObjectNode x = ms.addObject();
        x.put("model", m.model());
        x.put("signed", m.signed());
        x.put("vouchedBy", m.vouchedBy().orElse(null));
        x.put("alreadyInstalled", m.alreadyInstalled());
        x.put("origin", m.origin());
      }
      o.put("blobsWritten", blobsWritten);
      o.put("bytesWritten", bytesWritten);
      o.put("blobsSkipped", blobsSkipped);
      notes.forEach(o.putArray("notes")::add);
      return Reports.json(o);
    }
  }

  /**
   * Imports {@code file}; see the class comment.
   *
   * @param file the bundle to read
   * @param trustUnsigned install models no trusted catalog vouches for
   * @param consent accepts non-commercial licences by name, as for any install
   * @param listener told of each blob read
   * @return what the import did
   * @throws AppException when a licence is not accepted by {@code consent} ({@link ConsentRequiredException})
   * @throws StoreException when the store cannot be read or written, or another process holds its lock too long
   * @throws CatalogException when a carried catalog or the stored catalogs cannot be read or kept
   * @throws BundleException when the file is not a bundle Soko accepts, or a model is not trusted
   * @throws IntegrityException when a blob's bytes do not match its name
   */
  public ImportResult importBundle(Path file, boolean trustUnsigned, Consent consent, BundleReader.Listener listener)
      throws AppException, StoreException, CatalogException, BundleException, IntegrityException {
    Store store = soko.store();
    BundleReader.Contents c = new BundleReader(file, store.stagingDir(), store::hasBlob, store::blobPath, listener).read();
    List<String> notes = new ArrayList<>();
    for (BundleReader.CarriedCatalog carried : c.catalogs()) {
      notes.add(soko.acceptCarriedCatalog(carried.catalogId(), carried.envelope()));
    }
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    record Plan(Manifest manifest, boolean signed, Optional<String> vouchedBy) {}
    List<Plan> plans = new ArrayList<>();
    List<String> unsigned = new ArrayList<>();
    for (BundleReader.BundleModel bm : c.models()) {
      Manifest m = bm.manifest();
      Optional<CatalogEntry> listed = soko.catalogs().models().stream()
          .filter(e -> e.manifest().id().equals(m.id())).findFirst();
      if (listed.isPresent()) {
        if (!sameModel(listed.get().manifest(), m)) {
          throw new BundleException("bundle " + file + ": " + m.id() + " differs from the model of that name and version in"
              + " catalog " + String.join(", ", listed.get().catalogIds()) + " ("
              + difference(listed.get().manifest(), m)
              + "); refused, even with --trust-unsigned");
        }
        plans.add(new Plan(listed.get().manifest(), true, Optional.of(String.join(", ", listed.get().catalogIds()))));
      } else {
        unsigned.add(m.id());
        plans.add(new Plan(m, false, Optional.empty()));
      }
    }
    if (!unsigned.isEmpty() && !trustUnsigned) {
      throw new BundleException("bundle " + file + ": no catalog this machine trusts vouches for " + String.join(", ", unsigned)
          + "; add the catalog that publishes " + (unsigned.size() == 1 ? "it" : "them")
          + " (`soko catalog add`), or pass --trust-unsigned to install unsigned models anyway");
    }
    for (Plan p : plans) {
      LicenseAcceptance.require(p.manifest(), consent);
    }
    List<ImportedModel> out = new ArrayList<>();
    for (Plan p : plans) {
      String origin = ORIGIN_PREFIX + fileName + (p.signed() ? "" : UNSIGNED);
      out.add(install(p.manifest(), origin, c.staged(), file, p.signed(), p.vouchedBy()));
    }
    return new ImportResult(file, out, c.blobsWritten(), c.bytesWritten(), c.blobsSkipped(), notes);
  }

  private ImportedModel install(Manifest m, String origin, Map<Digest, Path> staged, Path file, boolean signed,
      Optional<String> vouchedBy) throws StoreException, IntegrityException, BundleException {
    Store store = soko.store();
    Optional<InstalledModel> existing = store.installed(m.name()).filter(i -> i.manifest().equals(m));
    try (Store.Install tx = store.beginInstall(m)) {
      List<ModelFile> missing = tx.missingFiles();
      if (existing.isPresent() && missing.isEmpty()) {
        return new ImportedModel(m.id(), signed, vouchedBy, true, existing.get().origin());
      }
      Set<Digest> done = new HashSet<>();
      for (ModelFile f : missing) {
        if (!done.add(f.sha256())) {
          continue;
        }
        Path p = staged.get(f.sha256());
        if (p == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new BundleException("bundle " + file + ": " + f.path() + " of " + m.id() + " is in the store but failed"
              + " its check there; run `soko verify " + m.name() + " --full`, then import again");
        }
        store.publishVerified(f, p);
      }
      return new ImportedModel(m.id(), signed, vouchedBy, false, tx.commit(origin).origin());
    }
  }

  /** The first difference between a catalog's model and a bundle's, as a short phrase. */
  private static String difference(Manifest catalog, Manifest bundle) {
    for (ModelFile f : bundle.files()) {
      Optional<ModelFile> g = catalog.file(f.path().value());
      if (g.isEmpty()) {
        return "the bundle adds the file " + f.path();
      }
      if (g.get().size() != f.size() || !g.get().sha256().equals(f.sha256())) {
        return f.path() + " is " + f.size() + " bytes with sha256 " + f.sha256().hex().substring(0, 12) + "… in the bundle, "
            + g.get().size() + " bytes with sha256 " + g.get().sha256().hex().substring(0, 12) + "… in the catalog";
      }
    }
    if (catalog.files().size() != bundle.files().size()) {
      return "the bundle lacks files the catalog lists";
    }
    return "its tasks, engine, licence, description or annotations differ";
  }

  /** Equal in everything but the files' download sources. */
  static boolean sameModel(Manifest a, Manifest b) {
    return strip(a).equals(strip(b));
  }

  /**
   * The model without what publishing as a ModelPack adds or rewrites: sources, the creation time,
   * the ModelPack fields kept as annotations, and a licence URL that only this machine could open
   * (published as its SPDX page).
   */
  private static Manifest strip(Manifest m) {
    List<ModelFile> files = m.files().stream().map(f -> f.withSources(List.of())).toList();
    java.util.Map<String, String> annotations = new java.util.TreeMap<>(m.annotations());
    annotations.keySet().removeIf(k -> k.equals(ModelPack.CREATED)
        || k.startsWith(ModelPack.CONFIG_PREFIX));
    License license = m.license();
    if (!license.url().getScheme().startsWith("http")) {
      license = new License(license.spdx(), ModelPack.spdxPage(license.spdx()),
          license.attribution());
    }
    return new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(), license, files, m.demo(),
        annotations);
  }
}
