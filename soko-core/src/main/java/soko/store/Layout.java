package soko.store;

import java.nio.file.Path;
import soko.manifest.ModelName;
import soko.manifest.Version;
import soko.verification.Digest;

/**
 * Where everything lives under the roots. Path arithmetic only; no I/O.
 *
 * <pre>
 * data/
 *   soko-store.json                    {"layout":1,"storeId":"…"}; a newer layout is refused
 *   blobs/sha256/1a/1a153a…            read-only, content-addressed, shared
 *   manifests/silero-vad/6.0.0-1f2e3d4c5b6a.json  installed manifests by version and content
 *   refs/silero-vad.json               which version is installed, from where, when
 *   state/verified/1a/1a153a….json     verification records
 *   state/pending/*.json               digests pinned by installs in progress (gc keeps them)
 *   state/catalogs/                    last accepted remote catalog versions (rollback protection)
 *   tmp/                               temp files of atomic writes (same file system as blobs)
 *   locks/refs.lock                    short cross-process lock for refs and gc
 * cache/
 *   CACHEDIR.TAG
 *   downloads/&lt;sha256&gt;.partial + .json  resumable downloads
 *   tmp/                               scratch for engines and other derived data
 * </pre>
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

  Path blobs() {
    return roots.data().resolve("blobs").resolve("sha256");
  }

  Path blob(Digest d) {
    return blobs().resolve(d.hex().substring(0, 2)).resolve(d.hex());
  }

  Path manifests() {
    return roots.data().resolve("manifests");
  }

  /**
   * An installed manifest, named by version and content: a reinstall with changed content writes a
   * new file, so the ref switches from the old file to the new one atomically.
   */
  Path manifest(ModelName name, Version version, Digest manifestSha256) {
    return manifests().resolve(name.value()).resolve(version.text() + "-" + manifestSha256.shortHex() + ".json");
  }

  Path refs() {
    return roots.data().resolve("refs");
  }

  Path ref(ModelName name) {
    return refs().resolve(name.value() + ".json");
  }

  Path records() {
    return roots.data().resolve("state").resolve("verified");
  }

  Path record(Digest d) {
    return records().resolve(d.hex().substring(0, 2)).resolve(d.hex() + ".json");
  }

  Path pending() {
    return roots.data().resolve("state").resolve("pending");
  }

  Path catalogState() {
    return roots.data().resolve("state").resolve("catalogs");
  }

  Path dataTmp() {
    return roots.data().resolve("tmp");
  }

  Path locks() {
    return roots.data().resolve("locks");
  }

  Path cacheTag() {
    return roots.cache().resolve("CACHEDIR.TAG");
  }

  Path downloads() {
    return roots.cache().resolve("downloads");
  }

  Path cacheTmp() {
    return roots.cache().resolve("tmp");
  }
}
