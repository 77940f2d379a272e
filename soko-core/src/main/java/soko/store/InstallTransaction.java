package soko.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * One install: pins the manifest's blobs so that gc keeps them, and commits by writing the
 * manifest, then the ref, under the refs lock. A model is installed exactly when its ref exists,
 * so a crash before the ref is written leaves the old, consistent pair (or nothing). A link or
 * other non-regular file found where the manifest or the ref goes is moved aside first. Not
 * thread-safe; close exactly once.
 */
final class InstallTransaction implements AutoCloseable {
  private final Manifest manifest;
  private final Path pin;
  private final Layout layout;
  private final Clock clock;
  private final Refs refs;
  private final Verifier verifier;
  private final Removals removals;
  private final Quarantine quarantine;
  private final ModelMarks marks;
  private final Steps steps;

  InstallTransaction(Manifest manifest, Path pin, Layout layout, Clock clock, Refs refs, Verifier verifier,
      Removals removals, Quarantine quarantine, ModelMarks marks, Steps steps) {
    this.marks = marks;
    this.steps = steps;
    this.manifest = manifest;
    this.pin = pin;
    this.layout = layout;
    this.clock = clock;
    this.refs = refs;
    this.verifier = verifier;
    this.removals = removals;
    this.quarantine = quarantine;
  }

  Manifest manifest() {
    return manifest;
  }

  List<ModelFile> missingFiles() throws StoreException {
    return verifier.notVerified(manifest);
  }

  /**
   * See {@link Store.Install#commit(String, boolean)}. With {@code keepPrevious}, the steps are: the
   * new manifest, the record of the replaced version (the old ref's content), the ref, then the
   * deletion of the version kept before. Each is an atomic rename, and both versions' manifests
   * (and so their blobs) stay on disk throughout, so a kill at any point leaves the old or the new
   * version installed and usable. The steps, as {@link Steps} names them: {@code manifest-written},
   * {@code previous-written} (only with {@code keepPrevious}), {@code ref-written}.
   */
  InstalledModel commit(String origin, boolean keepPrevious) throws StoreException {
    List<String> problems = new ArrayList<>();
    for (ModelFile f : manifest.files()) {
      FileCheck c = verifier.checkFile(f, VerifyMode.CACHED);
      if (c.state() != FileState.VERIFIED) {
        problems.add(c.problem().orElse(f.path() + " is " + c.state()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelIntegrityException(manifest.id(), problems);
    }
    byte[] manifestBytes = ManifestCodec.write(manifest);
    Digest manifestSha = Hashing.sha256(manifestBytes);
    Path manifestFile = layout.manifest(manifest.name(), manifest.version(), manifestSha);
    Instant now = clock.instant();
    try (StoreLock.Held _ = StoreLock.acquire(layout.refsLock(), Store.LOCK_TIMEOUT)) {
      quarantine.realFolder(manifestFile.getParent());
      moveAsideUnlessRegular(manifestFile, "manifest");
      Files2.writeAtomically(manifestFile, manifestBytes);
      steps.reached("manifest-written");
      Optional<Refs.Ref> previous = previous();
      Optional<Refs.Ref> keptBefore = marks.previous(manifest.name());
      boolean keep = keepPrevious && previous.isPresent() && !previous.get().manifestSha256().equals(manifestSha);
      if (keep) {
        quarantine.realFolder(layout.previous());
        moveAsideUnlessRegular(layout.previous(manifest.name()), "previous");
        marks.writePrevious(previous.get());
        steps.reached("previous-written");
      }
      moveAsideUnlessRegular(layout.ref(manifest.name()), "ref");
      Files2.writeAtomically(layout.ref(manifest.name()),
          new Refs.Ref(manifest.name(), manifest.version(), manifestSha, origin, now).toJson());
      steps.reached("ref-written");
      // Installed again: an interrupted removal of this name has nothing left to do.
      removals.delete(manifest.name());
      // Only after the ref points at the new file: a crash before this line leaves the old, consistent pair.
      if (previous.isPresent() && !keep) {
        Path old = layout.manifest(manifest.name(), previous.get().version(), previous.get().manifestSha256());
        Optional<Path> kept = keptBefore.map(k -> layout.manifest(k.name(), k.version(), k.manifestSha256()));
        if (!old.equals(manifestFile) && !kept.equals(Optional.of(old))) {
          Files.deleteIfExists(old);
        }
      }
      if (keep && keptBefore.isPresent()) {
        // The version kept before this update is no longer the one to go back to.
        Path older = layout.manifest(manifest.name(), keptBefore.get().version(), keptBefore.get().manifestSha256());
        Path replaced = layout.manifest(manifest.name(), previous.get().version(), previous.get().manifestSha256());
        if (!older.equals(manifestFile) && !older.equals(replaced)) {
          Files.deleteIfExists(older);
        }
      }
    } catch (IOException e) {
      throw new StoreIOException("cannot record " + manifest.id() + " as installed", e);
    }
    return new InstalledModel(manifest, manifestFile, now, origin);
  }

  /** The ref being replaced; a damaged one is simply overwritten (installing repairs it). */
  private Optional<Refs.Ref> previous() throws StoreException {
    try {
      return refs.read(manifest.name());
    } catch (StoreConfigException damaged) {
      return Optional.empty();
    }
  }

  private void moveAsideUnlessRegular(Path p, String kind) throws IOException {
    if (Files2.kind(p).foreign() || Files2.kind(p) == Files2.Kind.FOLDER) {
      quarantine.moveAside(p, kind);
    }
  }

  @Override
  public void close() {
    Files2.deleteQuietly(pin);
  }
}
