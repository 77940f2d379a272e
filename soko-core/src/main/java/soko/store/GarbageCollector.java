package soko.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import soko.manifest.ModelName;
import soko.verification.Digest;

/**
 * Removes models and collects garbage, under the refs lock, deleting only inside the data root
 * and never through a link. What is an orphan is {@link LiveSet}'s decision, shared with
 * diagnostics.
 *
 * <p>A removal is resumable: it first writes its intent ({@link Removals}), then deletes the ref,
 * the manifests and the blobs no other model uses, then the intent. Killed at any step, the next
 * {@code soko rm} of the name, or gc, finishes it; a finished removal is recorded ({@link Removed}),
 * so that an rm run again after it completed says so and exits 0. The steps, as {@link Steps} names them:
 * {@code intent-written}, {@code ref-deleted}, {@code manifests-deleted}, {@code blob-deleted}
 * (after each blob), {@code intent-deleted} (the removal is complete; the command has not yet said so). Thread-safe (the lock serialises).
 */
// About 400 lines: removal and gc share the refs lock, the resumable steps and the rule of what
// may be deleted (inside the data root, never through a link), so they stay one file; what is an
// orphan is already LiveSet's, the intents Removals' and the records Removed's.
final class GarbageCollector {
  /** Temp files older than this are left over from a crash. */
  private static final Duration STALE_TMP = Duration.ofHours(24);

  private final Layout layout;
  private final Clock clock;
  private final Refs refs;
  private final Pins pins;
  private final Removals removals;
  private final Quarantine quarantine;
  private final Steps steps;
  private final ModelMarks marks;
  /** The store index, which must not keep the entries of the blobs deleted here. */
  private final VerifiedIndex index;
  private final Removed removed;

  GarbageCollector(Layout layout, Clock clock, Refs refs, Pins pins, Removals removals, Quarantine quarantine,
      Steps steps, ModelMarks marks) {
    this.marks = marks;
    this.layout = layout;
    this.clock = clock;
    this.refs = refs;
    this.pins = pins;
    this.removals = removals;
    this.quarantine = quarantine;
    this.steps = steps;
    this.index = new VerifiedIndex(layout.verifiedIndex(), layout.verifiedIndexLock());
    this.removed = new Removed(layout);
  }

  /** What a sweep found and did. */
  private static final class Tally {
    final List<String> removed = new ArrayList<>();
    final List<String> notices = new ArrayList<>();
    long freed;

    void removed(Path p, long size) {
      removed.add(p.toString());
      freed += size;
    }

    GcReport report(boolean dryRun) {
      return new GcReport(dryRun, removed, freed, notices);
    }
  }

  /** See {@link Store#remove}. */
  GcReport remove(ModelName name) throws StoreException {
    try (StoreLock.Held _ = StoreLock.acquire(layout.refsLock(), Store.LOCK_TIMEOUT)) {
      refuseLinkedFolders();
      Optional<InstalledModel> model;
      boolean damaged = false;
      try {
        model = refs.installed(name);
      } catch (ModelIntegrityException | StoreConfigException e) {
        model = Optional.empty();
        damaged = true;
      }
      Optional<Removals.Intent> earlier = removals.read(name);
      if (model.isEmpty() && !damaged && earlier.isEmpty()) {
        Optional<Removed.Record> done = removed.read(name);
        if (done.isEmpty()) {
          throw new ModelNotInstalledException(name.value());
        }
        // Removed already: by this command killed after its last step, or by another process.
        Tally t = new Tally();
        t.notices.add(name + " was already removed (at " + done.get().removedAt() + "); nothing of it was left to free");
        return t.report(false);
      }
      Removals.Intent intent = intent(name, model, damaged);
      if (earlier.isPresent()) {
        intent = intent.merge(earlier.get());
      }
      removals.write(intent);
      steps.reached("intent-written");
      Files.deleteIfExists(layout.ref(name));
      steps.reached("ref-deleted");
      Tally t = new Tally();
      finish(intent, false, t);
      if (model.isEmpty() && !damaged) {
        t.notices.add("finished the interrupted removal of " + name + " (started " + intent.startedAt() + ")");
      }
      return t.report(false);
    } catch (IOException e) {
      throw new StoreIOException("cannot remove " + name, e);
    }
  }

  /** The intent of removing a model: its manifest and blobs, or all its manifests and every orphan if damaged. */
  private Removals.Intent intent(ModelName name, Optional<InstalledModel> model, boolean damaged) throws IOException,
      StoreException {
    Set<String> manifests = new TreeSet<>();
    Set<Digest> blobs = new HashSet<>();
    if (model.isPresent()) {
      manifests.add(model.get().manifestFile().getFileName().toString());
      model.get().manifest().files().forEach(f -> blobs.add(f.sha256()));
    }
    Optional<Refs.Ref> previous = marks.previous(name);
    if (previous.isPresent()) {
      // The version an update replaced goes with the model.
      try {
        InstalledModel p = refs.model(previous.get());
        manifests.add(p.manifestFile().getFileName().toString());
        p.manifest().files().forEach(f -> blobs.add(f.sha256()));
      } catch (StoreException gone) {
        // its manifest is gone or damaged: nothing of it to free by name
      }
    }
    if (damaged) {
      for (Path p : Files2.listFiles(layout.manifestDir(name))) {
        String f = p.getFileName().toString();
        if (f.endsWith(".json") && !f.startsWith(".")) {
          manifests.add(f);
        }
      }
    }
    return new Removals.Intent(name, manifests, blobs, damaged, clock.instant());
  }

  /** Deletes a removal's manifests and frees its blobs, then forgets it. The refs lock is held. */
  private void finish(Removals.Intent intent, boolean dryRun, Tally t) throws IOException, StoreException {
    if (!dryRun) {
      for (Path mf : removals.manifestFiles(intent)) {
        Files.deleteIfExists(mf); // a link is deleted as a link
      }
      Files2.deleteEmptyDir(layout.manifestDir(intent.name()));
      steps.reached("manifests-deleted");
    }
    sweepBlobs(dryRun, intent.everyOrphan() ? Optional.empty() : Optional.of(intent.blobs()), t);
    if (!dryRun) {
      marks.deletePrevious(intent.name());
      removed.write(intent.name(), clock.instant());
      removals.delete(intent.name());
      steps.reached("intent-deleted");
    }
  }

  /** See {@link Store#dropPrevious}. */
  @SuppressWarnings("try") // the lock is held for the body, never used in it
  GcReport dropPrevious(ModelName name) throws StoreException {
    try (StoreLock.Held lock = StoreLock.acquire(layout.refsLock(), Store.LOCK_TIMEOUT)) {
      refuseLinkedFolders();
      Tally t = new Tally();
      Optional<Refs.Ref> previous = marks.previous(name);
      if (previous.isEmpty()) {
        return t.report(false);
      }
      Set<Digest> blobs = new HashSet<>();
      try {
        refs.model(previous.get()).manifest().files().forEach(f -> blobs.add(f.sha256()));
      } catch (StoreException gone) {
        // its manifest is gone or damaged: gc frees what it leaves
      }
      Path mf = layout.manifest(name, previous.get().version(), previous.get().manifestSha256());
      // The manifest first: killed before the record goes, the record names a missing manifest,
      // which reads as no previous version; its blobs are orphans for the next gc.
      t.removed(mf, Files2.sizeOf(mf));
      Files.deleteIfExists(mf);
      marks.deletePrevious(name);
      steps.reached("previous-dropped");
      sweepBlobs(false, Optional.of(blobs), t);
      return t.report(false);
    } catch (IOException e) {
      throw new StoreIOException("cannot drop the previous version of " + name, e);
    }
  }

  /** See {@link Store#gc}. */
  GcReport gc(boolean dryRun) throws StoreException {
    Tally t = new Tally();
    try (StoreLock.Held _ = StoreLock.acquire(layout.refsLock(), Store.LOCK_TIMEOUT)) {
      refuseLinkedFolders();
      for (Path p : quarantine.entries()) {
        t.removed(p, Files2.sizeOf(p));
        if (!dryRun) {
          Files.deleteIfExists(p); // a link is deleted as a link: never its target
        }
      }
      moveAsideForeignEntries(dryRun, t);
      Set<Path> dropped = dropOldVersions(dryRun, t);
      LiveSet live = LiveSet.read(refs, removals, pins, List.of(), dropped);
      for (Removals.Intent i : live.unfinished()) {
        t.notices.add((dryRun ? "would finish" : "finished") + " the interrupted removal of " + i.name());
        if (!dryRun) {
          for (Path mf : removals.manifestFiles(i)) {
            Files.deleteIfExists(mf);
          }
          Files2.deleteEmptyDir(layout.manifestDir(i.name()));
        }
      }
      sweepBlobs(dryRun, Optional.empty(), live, t);
      for (Removals.Intent i : live.unfinished()) {
        if (!dryRun) {
          removed.write(i.name(), clock.instant());
          removals.delete(i.name());
        }
      }
      for (Removals.Intent i : live.moot()) {
        if (!dryRun) {
          removals.delete(i.name()); // its model is installed: nothing to finish
        }
      }
      for (Pins.Pin p : live.pins()) {
        if (p.released()) {
          t.notices.add((dryRun ? "would release" : "released") + " the pin of " + (p.model().isEmpty() ? p.file()
              : "the install of " + p.model()) + ": " + p.releasedBecause().orElseThrow());
          if (!dryRun) {
            Files.deleteIfExists(p.file());
          }
        }
      }
      Instant staleBefore = clock.instant().minus(STALE_TMP);
      for (Path p : Files2.listFiles(layout.dataTmp())) {
        if (Files2.modified(p).isBefore(staleBefore)) {
          t.removed(p, Files2.sizeOf(p));
          if (!dryRun) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new StoreIOException("cannot collect garbage in " + layout.roots().data(), e);
    }
    return t.report(dryRun);
  }

  /**
   * The manifests of versions no ref needs any more: those kept by updates for rollback (gc is how a
   * user lets them go), and those a kill left behind between two atomic steps of an install, update
   * or rollback. Only models whose ref reads cleanly are looked at: a damaged ref keeps every
   * manifest of its model, so that no blob it may need is freed. Deletes them unless {@code dryRun}.
   */
  private Set<Path> dropOldVersions(boolean dryRun, Tally t) throws IOException, StoreException {
    Set<Path> out = new HashSet<>();
    Set<ModelName> names = new TreeSet<>(java.util.Comparator.comparing(ModelName::value));
    names.addAll(refs.names());
    names.addAll(marks.withPrevious());
    for (ModelName name : names) {
      Optional<Refs.Ref> ref;
      try {
        ref = refs.read(name);
      } catch (StoreConfigException damaged) {
        continue;
      }
      Optional<Path> keep = ref.map(r -> layout.manifest(name, r.version(), r.manifestSha256()));
      if (keep.isEmpty()) {
        if (!dryRun) {
          marks.deletePrevious(name); // a previous version of a model no longer installed: a removal frees it
        }
        continue;
      }
      Optional<Refs.Ref> previous = marks.previous(name);
      for (Path mf : Files2.listFiles(layout.manifestDir(name))) {
        String f = mf.getFileName().toString();
        if (!f.endsWith(".json") || f.startsWith(".") || mf.equals(keep.get())) {
          continue;
        }
        out.add(mf);
        t.removed(mf, Files2.sizeOf(mf));
        if (previous.isPresent() && mf.equals(layout.manifest(name, previous.get().version(),
            previous.get().manifestSha256()))) {
          t.notices.add((dryRun ? "would drop" : "dropped") + " " + name + "@" + previous.get().version()
              + ", kept for `soko rollback " + name + "`");
        }
        if (!dryRun) {
          Files.deleteIfExists(mf); // a link is deleted as a link
        }
      }
      if (!dryRun) {
        marks.deletePrevious(name);
      }
    }
    return out;
  }

  private void sweepBlobs(boolean dryRun, Optional<Set<Digest>> only, Tally t) throws IOException, StoreException {
    sweepBlobs(dryRun, only, LiveSet.read(refs, removals, pins, List.of()), t);
  }

  /**
   * Deletes unused blobs (only those in {@code only}, when given), and every link or other foreign
   * entry of the blob folders, as itself.
   */
  private void sweepBlobs(boolean dryRun, Optional<Set<Digest>> only, LiveSet live, Tally t)
      throws IOException, StoreException {
    for (StorageMeter.BlobEntry blob : StorageMeter.blobEntries(layout)) {
      boolean foreign = blob.foreign();
      if (!foreign && (!live.orphan(blob.digest().orElseThrow())
          || (only.isPresent() && !only.get().contains(blob.digest().get())))) {
        continue;
      }
      if (foreign && only.isPresent() && (blob.digest().isEmpty() || !only.get().contains(blob.digest().get()))) {
        continue; // a removal frees its own blobs; gc removes every link
      }
      t.removed(blob.path(), blob.size());
      if (!dryRun) {
        Files.deleteIfExists(blob.path()); // a link is deleted as a link, never followed
        if (!foreign) {
          Files.deleteIfExists(layout.record(blob.digest().get()));
        }
        steps.reached("blob-deleted");
      }
    }
    if (!dryRun) {
      // After the deletions, so that an entry another process wrote meanwhile is taken out too; it
      // also takes out the entries of blobs a killed removal deleted before it could.
      index.prune(d -> only.isEmpty() || only.get().contains(d), layout::blob);
    }
  }

  /**
   * Moves aside every link or other non-regular file where a ref, a manifest, a record, a pin or a
   * removal belongs: they are never followed, and diagnostics lists them until the next gc.
   */
  private void moveAsideForeignEntries(boolean dryRun, Tally t) throws IOException {
    List<Path> suspects = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    collect(layout.refs(), "ref", suspects, kinds);
    collect(layout.pending(), "pin", suspects, kinds);
    collect(layout.removing(), "removal", suspects, kinds);
    for (Path dir : Files2.listAll(layout.manifests())) {
      collectFanOut(dir, "manifest", suspects, kinds);
    }
    for (Path dir : Files2.listAll(layout.records())) {
      collectFanOut(dir, "record", suspects, kinds);
    }
    for (int i = 0; i < suspects.size(); i++) {
      Path p = suspects.get(i);
      if (dryRun) {
        t.notices.add("would move aside " + p + " (" + describe(p) + "); Soko never follows links inside its store");
      } else {
        Path to = quarantine.moveAside(p, kinds.get(i));
        t.notices.add("moved aside " + p + " (" + describe(to) + ") to " + to
            + "; Soko never follows links inside its store");
      }
    }
  }

  private static void collect(Path dir, String kind, List<Path> suspects, List<String> kinds) throws IOException {
    for (Path p : Files2.listAll(dir)) {
      if (Files2.kind(p).foreign()) {
        suspects.add(p);
        kinds.add(kind);
      }
    }
  }

  /** A folder of one model's manifests, or of records: its foreign entries, or itself when it is a link. */
  private static void collectFanOut(Path dir, String kind, List<Path> suspects, List<String> kinds) throws IOException {
    Files2.Kind k = Files2.kind(dir);
    if (k == Files2.Kind.FOLDER) {
      collect(dir, kind, suspects, kinds);
    } else if (k.foreign()) {
      suspects.add(dir);
      kinds.add("folder");
    }
  }

  private static String describe(Path p) {
    return Files2.kind(p) == Files2.Kind.LINK ? "a symbolic link" : "not a regular file";
  }

  /**
   * Refuses to work through a store folder that is a link: a link planted at {@code quarantine/}
   * or {@code blobs/} must not make gc delete files elsewhere. Opening the store moves such links
   * aside; this guards against one planted since.
   */
  private void refuseLinkedFolders() throws IOException {
    for (Path dir : layout.dataFolders()) {
      Files2.refuseLink(dir);
    }
  }
}
