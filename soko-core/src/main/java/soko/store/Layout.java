package soko.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import soko.manifest.ModelName;
import soko.manifest.Version;
import soko.verification.Digest;

/**
 * Where everything lives under the roots: the only class that knows a path. Path arithmetic only;
 * no I/O. Every file below is written atomically (a temp file in the same folder, fsync, rename,
 * fsync of the folder) unless it says otherwise, and Soko never follows a symbolic link found
 * where one of these files or folders belongs.
 *
 * <h2>The data root (owned by Soko; deleting it uninstalls everything)</h2>
 *
 * <pre>
 * data/
 *   soko-store.json                      the marker; a newer layout is refused, a folder without it
 *                                        that holds other files is never taken over
 *       {"layout":1,"storeId":"0b5a4c1e-…"}
 *   blobs/sha256/1a/1a153a22f4509e29…    a file's bytes, named by their sha256 (two-hex fan-out),
 *                                        read-only (0444) once published, published by hard link
 *                                        so the first writer wins; shared by every model naming it
 *   manifests/silero-vad/6.0.0-1f2e3d4c5b6a.json
 *                                        the installed manifest (manifest-v1 schema), named by
 *                                        version and the first 12 hex of its own sha256
 *   refs/silero-vad.json                 what is installed under a name; a model is installed
 *                                        exactly when its ref exists
 *       {"name":"silero-vad","version":"6.0.0","manifestSha256":"1f2e3d4c5b6a…",
 *        "origin":"bundled","installedAt":"2026-11-29T00:52:04Z"}
 *   state/verified/1a/1a153a….json       the last full hash of a blob and its stat then
 *                                        ({@link VerificationRecord}); a missing or damaged record
 *                                        only costs a re-hash
 *       {"sha256":"1a153a…","size":2327524,"mtimeNanos":…,"ctimeNanos":…,"fileKey":"2049:131077",
 *        "verifiedAt":"2026-11-29T00:50:00Z","ok":true}
 *   state/verified.index                 the good records in one binary file with a checksum, so an
 *                                        unchanged blob costs one stat ({@link VerifiedIndex}); derived,
 *                                        ignored when damaged and rebuilt from the records
 *   state/installed.index                every installed model's ref and parsed manifest with the
 *                                        stamps of both files ({@link InstalledIndex}); derived, an
 *                                        entry answers only while both files keep its stamps
 *   state/pending/3f0c…-….json           a pin: the blobs an install in progress needs, so gc keeps
 *                                        them; released when its process is gone ({@link Pins})
 *       {"model":"whisper-base@1.0.0","pid":4242,"started":"2026-11-29T00:50:00.12Z",
 *        "host":"studio-7","blobs":["60ed5bc3…"]}
 *   state/removing/whisper-base.json     a removal in progress ({@link Removals}): written before the
 *                                        ref is deleted, removed once the blobs are freed, so an
 *                                        interrupted {@code soko rm} is finished by the next rm or gc
 *       {"name":"whisper-base","manifests":["1.0.0-60ed5bc3dd14.json"],"blobs":["60ed5bc3…"],
 *        "everyOrphan":false,"startedAt":"2026-11-29T00:55:00Z"}
 *   state/removed/whisper-base.json      a finished removal ({@link Removed}): an rm run again says the
 *                                        model was removed (exit 0) instead of "not installed"
 *       {"name":"whisper-base","removedAt":"2026-11-29T00:55:01Z"}
 *   state/used/whisper-base.json         when an engine last opened the model (written once per load,
 *                                        never per inference; a missing or damaged one counts as never)
 *       {"name":"whisper-base","lastUsed":"2026-11-29T01:10:00Z"}
 *   state/keep/whisper-base.json         the user marked the model {@code keep}: the budget never evicts it
 *       {"name":"whisper-base","keptAt":"2026-11-29T01:11:00Z"}
 *   state/previous/whisper-base.json     the version an update replaced, kept for {@code soko rollback}
 *                                        (the ref it had; its manifest stays in manifests/) until gc,
 *                                        a removal or the budget drops it
 *       {"name":"whisper-base","version":"1.0.0","manifestSha256":"60ed5b…","origin":"catalog:…",
 *        "installedAt":"2026-11-20T09:00:00Z"}
 *   state/settings.json                  settings made with {@code soko config set} (written by soko.app)
 *       {"schemaVersion":1,"budget":"20GiB"}
 *   state/catalogs/example.models-3fa2c4d1e0b9a877.json
 *                                        the last accepted version of a remote catalog, by catalog
 *                                        id and source (rollback protection, kept here so clearing the
 *                                        cache cannot reset it; written by soko.catalog.RollbackState)
 *       {"schemaVersion":1,"source":"…","catalogId":"example.models","version":42,"sha256":"…",
 *        "acceptedAt":"2026-11-29T00:40:00Z"}
 *   state/catalog-sources.json           the remote catalogs configured, with their trusted keys
 *                                        (written by soko.app.CatalogSources)
 *       {"schemaVersion":1,"sources":[{"id":"example.models","url":"https://…/catalog.json",
 *         "keys":{"schemaVersion":1,"keys":[{"keyId":"…","algorithm":"ed25519","publicKey":"…"}]}}]}
 *   state/catalog-envelopes/3fa2c4d1e0b9.json
 *                                        the last accepted signed catalog of each source (named by
 *                                        the source id's sha256), for offline use; re-verified on load
 *   quarantine/blob.data+blobs+sha256+1a+1a153a….1764377524000
 *   quarantine/folder.cache+downloads.1764377524000
 *                                        things moved aside, never deleted on the spot: a corrupt
 *                                        blob replaced by a good copy, or a link or other non-regular
 *                                        file found where a store file or folder belongs (moved as a
 *                                        link, never its target); named kind.where.millis, where being
 *                                        the path under its root with '+' for '/'; {@code soko gc}
 *                                        deletes them and diagnostics lists them until then
 *   tmp/blob-7d1e….tmp                   blobs being written (same file system as blobs/, so the
 *                                        publish is a link or a rename); gc deletes those a day old
 *   locks/refs.lock                      the short cross-process lock of refs, removals and gc
 * </pre>
 *
 * <h2>The cache root (re-creatable; {@code soko cache clear} empties it)</h2>
 *
 * <pre>
 * cache/
 *   CACHEDIR.TAG                         the standard tag, so backup tools skip the folder
 *       Signature: 8a477f597d28d172789f06886806bc55
 *   downloads/60ed5bc3….partial          bytes of a download received so far (a mirror or a registry blob)
 *   downloads/60ed5bc3….json             its validators, to resume it (soko.acquisition.PartialMetadata)
 *       {"schemaVersion":1,"sha256":"60ed5bc3…","size":147951465,"url":"https://…/ggml-base.bin",
 *        "etag":"\"6571a0c4-8d18d69\"","lastModified":"Thu, 07 Dec 2026 10:12:04 GMT","bytes":67108864}
 *   downloads/60ed5bc3….json.tmp         that file while it is rewritten
 *   downloads/60ed5bc3…                  the complete, verified download, until it moves into blobs/
 *   downloads/60ed5bc3….lock             the cross-process lock of that download while one runs
 *   uploads/9c1d2e3f4a5b-60ed5bc3….upload.json
 *                                        a chunked registry push in progress, to resume it (named by
 *                                        the registry/repository's sha256 and the blob)
 *       {"registry":"127.0.0.1:5000","repository":"soko/m","digest":"sha256:…","location":"…","offset":1048576}
 *   uploads/bundle-4411829309/models.tar a bundle the page received (soko.web), under the name it
 *                                        was chosen by, until it is imported
 *   uploads/bundle-4411829309/.receiving locked by the receiving process until it deletes the
 *                                        folder; a cache clear keeps a folder whose lock is held
 *   quarantine/60ed5bc3….partial.1764377524000
 *                                        a link or special file found where a download's file belongs,
 *                                        moved aside as itself by soko.acquisition (named name.millis;
 *                                        a cache clear empties it)
 *   tmp/                                 scratch for engines (native libraries, whisper child logs)
 * </pre>
 *
 * The names in {@code downloads/}, {@code uploads/} and the cache's {@code quarantine/} are chosen
 * by soko.acquisition; the store only hands out the folders, measures them and clears them.
 */
final class Layout {
  static final int LAYOUT_VERSION = 1;
  static final String MARKER = "soko-store.json";

  private final StoreRoots roots;

  Layout(StoreRoots roots) {
    this.roots = roots;
  }

  StoreRoots roots() {
    return roots;
  }

  Path marker() {
    return roots.data().resolve(MARKER);
  }

  /**
   * The top-level entries of a data root that are Soko's: a folder holding only these (and the
   * marker's temp files) may become a store.
   */
  static List<String> dataEntries() {
    return List.of("blobs", "manifests", "refs", "state", "tmp", "locks", "quarantine");
  }

  /**
   * The folders of the store, parents before children: {@link StoreSetup} makes each a real folder
   * and gc refuses to work through one that is a link.
   */
  List<Path> dataFolders() {
    return List.of(quarantine(), roots.data().resolve("blobs"), blobs(), manifests(), refs(), state(), records(),
        pending(), removing(), removedDir(), used(), kept(), previous(), dataTmp(), locks());
  }

  /** The folders of the cache root that the store creates and keeps. */
  List<Path> cacheFolders() {
    return List.of(downloads(), cacheTmp());
  }

  // ---------------------------------------------------------------- blobs

  Path blobs() {
    return roots.data().resolve("blobs").resolve("sha256");
  }

  Path blob(Digest d) {
    return blobs().resolve(d.hex().substring(0, 2)).resolve(d.hex());
  }

  // ---------------------------------------------------------------- manifests and refs

  Path manifests() {
    return roots.data().resolve("manifests");
  }

  /** The folder of one model's installed manifests. */
  Path manifestDir(ModelName name) {
    return manifests().resolve(name.value());
  }

  /**
   * An installed manifest, named by version and content: a reinstall with changed content writes a
   * new file, so the ref switches from the old file to the new one atomically.
   */
  Path manifest(ModelName name, Version version, Digest manifestSha256) {
    return manifestDir(name).resolve(version.text() + "-" + manifestSha256.shortHex() + ".json");
  }

  Path refs() {
    return roots.data().resolve("refs");
  }

  Path ref(ModelName name) {
    return refs().resolve(name.value() + ".json");
  }

  // ---------------------------------------------------------------- state

  Path state() {
    return roots.data().resolve("state");
  }

  Path records() {
    return state().resolve("verified");
  }

  Path record(Digest d) {
    return records().resolve(d.hex().substring(0, 2)).resolve(d.hex() + ".json");
  }

  /** The index of good records ({@link VerifiedIndex}): derived data, rebuilt from the records. */
  Path verifiedIndex() {
    return state().resolve("verified.index");
  }

  Path verifiedIndexLock() {
    return locks().resolve("verified-index.lock");
  }

  /** {@code state/installed.index}: the installed refs and manifests, parsed ({@link InstalledIndex}). */
  Path installedIndex() {
    return state().resolve("installed.index");
  }

  Path installedIndexLock() {
    return locks().resolve("installed-index.lock");
  }

  Path pending() {
    return state().resolve("pending");
  }

  /** A new pin's file. */
  Path newPin() {
    return pending().resolve(UUID.randomUUID() + ".json");
  }

  Path removing() {
    return state().resolve("removing");
  }

  Path removal(ModelName name) {
    return removing().resolve(name.value() + ".json");
  }

  Path removedDir() {
    return state().resolve("removed");
  }

  Path removed(ModelName name) {
    return removedDir().resolve(name.value() + ".json");
  }

  Path used() {
    return state().resolve("used");
  }

  Path used(ModelName name) {
    return used().resolve(name.value() + ".json");
  }

  Path kept() {
    return state().resolve("keep");
  }

  Path kept(ModelName name) {
    return kept().resolve(name.value() + ".json");
  }

  Path previous() {
    return state().resolve("previous");
  }

  Path previous(ModelName name) {
    return previous().resolve(name.value() + ".json");
  }

  Path settings() {
    return state().resolve("settings.json");
  }

  Path catalogState() {
    return state().resolve("catalogs");
  }

  Path catalogSources() {
    return state().resolve("catalog-sources.json");
  }

  Path catalogEnvelopes() {
    return state().resolve("catalog-envelopes");
  }

  // ---------------------------------------------------------------- quarantine, temp files, locks

  Path quarantine() {
    return roots.data().resolve("quarantine");
  }

  /**
   * Where an entry moved aside goes: {@code quarantine/<kind>.<where>.<millis>}, {@code where}
   * being its path under its root (such as {@code data+blobs+sha256+1a+1a15…}).
   *
   * @param kind what belonged there, such as {@code blob}, {@code ref} or {@code folder}
   */
  Path quarantined(String kind, Path entry, Instant at) {
    String where;
    if (entry.startsWith(roots.data()) && !entry.equals(roots.data())) {
      where = "data/" + roots.data().relativize(entry);
    } else if (entry.startsWith(roots.cache()) && !entry.equals(roots.cache())) {
      where = "cache/" + roots.cache().relativize(entry);
    } else {
      where = entry.getFileName().toString();
    }
    return quarantine().resolve(kind + "." + where.replace('/', '+').replace('\\', '+') + "." + at.toEpochMilli());
  }

  /** A quarantined entry's name read back: what it was, where it was found, when. */
  record Quarantined(String kind, String where, Instant at) {}

  private static final Pattern QUARANTINED = Pattern.compile("([a-z]+)\\.(.+)\\.(\\d{1,19})(-\\d+)?");

  /** The parts of a name {@link #quarantined} made (with a {@code -n} suffix when one was taken). */
  static Optional<Quarantined> quarantinedName(String fileName) {
    Matcher m = QUARANTINED.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Quarantined(m.group(1), m.group(2).replace('+', '/'),
        Instant.ofEpochMilli(Long.parseLong(m.group(3)))));
  }

  Path dataTmp() {
    return roots.data().resolve("tmp");
  }

  /** A new temp file for a blob being written. */
  Path newBlobTmp() {
    return dataTmp().resolve("blob-" + UUID.randomUUID() + ".tmp");
  }

  Path locks() {
    return roots.data().resolve("locks");
  }

  /** The lock of refs, removals and gc. */
  Path refsLock() {
    return locks().resolve("refs.lock");
  }

  // ---------------------------------------------------------------- cache

  Path cacheTag() {
    return roots.cache().resolve("CACHEDIR.TAG");
  }

  Path downloads() {
    return roots.cache().resolve("downloads");
  }

  /** A partial download in {@link #downloads()}: counted as such by storage use. */
  static boolean isPartial(Path file) {
    return file.getFileName().toString().endsWith(".partial");
  }

  Path uploads() {
    return roots.cache().resolve("uploads");
  }

  Path cacheTmp() {
    return roots.cache().resolve("tmp");
  }

  /** Whether {@code dir} is one of the cache root's own folders, which a cache clear empties but keeps. */
  boolean isCacheFolder(Path dir) {
    return cacheFolders().contains(dir);
  }
}
