package soko.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import soko.verification.Digest;

/**
 * Which blobs are in use: the one definition of an orphan, so that gc frees exactly what
 * diagnostics counts as orphans. A blob is in use when a manifest on disk names it (an installed
 * model, or a damaged one whose manifest still parses), unless that manifest belongs to an
 * interrupted removal, or when a pin that still holds names it (an install in progress).
 *
 * @param installed blobs named by manifests on disk
 * @param pinned blobs named by pins that hold, and by no manifest
 * @param pins every pin, the released ones included (gc deletes those)
 * @param unfinished removals whose ref is gone: gc finishes them
 * @param moot removals whose model is installed again (or never lost its ref): gc forgets them
 */
record LiveSet(Set<Digest> installed, Set<Digest> pinned, List<Pins.Pin> pins, List<Removals.Intent> unfinished,
    List<Removals.Intent> moot) {

  /** Whether gc would free a blob with this digest. */
  boolean orphan(Digest d) {
    return !installed.contains(d) && !pinned.contains(d);
  }

  /**
   * Reads the manifests, removals and pins on disk. Deletes nothing.
   *
   * @param known models already read by {@link Refs#installed()}, not read again
   */
  static LiveSet read(Refs refs, Removals removals, Pins pins, List<InstalledModel> known) throws IOException,
      StoreException {
    return read(refs, removals, pins, known, Set.of());
  }

  /** As {@link #read(Refs, Removals, Pins, List)}, counting the manifests {@code dropping} as gone. */
  static LiveSet read(Refs refs, Removals removals, Pins pins, List<InstalledModel> known, Set<Path> dropping)
      throws IOException, StoreException {
    List<Removals.Intent> unfinished = new ArrayList<>();
    List<Removals.Intent> moot = new ArrayList<>();
    Set<Path> excluded = new HashSet<>(dropping);
    for (Removals.Intent i : removals.all()) {
      if (refs.exists(i.name())) {
        moot.add(i);
      } else {
        unfinished.add(i);
        excluded.addAll(removals.manifestFiles(i));
      }
    }
    Set<Digest> installed = new HashSet<>();
    for (InstalledModel m : refs.onDisk(known, excluded)) {
      m.manifest().files().forEach(f -> installed.add(f.sha256()));
    }
    List<Pins.Pin> all = pins.read();
    Set<Digest> pinned = Pins.held(all);
    pinned.removeAll(installed);
    return new LiveSet(installed, pinned, all, unfinished, moot);
  }
}
