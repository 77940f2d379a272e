package soko.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import soko.manifest.ModelName;

/**
 * The version an update replaced ({@link ModelMarks#previous}): reading it while its manifest is
 * intact, and rolling back to it under the refs lock once every file verifies. Thread-safe.
 */
final class PreviousVersions {
  private final Layout layout;
  private final Refs refs;
  private final ModelMarks marks;
  private final Pins pins;
  private final Verifier verifier;
  private final Steps steps;

  PreviousVersions(Layout layout, Refs refs, ModelMarks marks, Pins pins, Verifier verifier, Steps steps) {
    this.layout = layout;
    this.refs = refs;
    this.marks = marks;
    this.pins = pins;
    this.verifier = verifier;
    this.steps = steps;
  }

  /** As {@link Store#previous}. */
  Optional<InstalledModel> previous(ModelName name) throws StoreException {
    Optional<Refs.Ref> p = marks.previous(name);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(refs.model(p.get()));
    } catch (ModelIntegrityException gone) {
      return Optional.empty();
    }
  }

  /** As {@link Store#rollback}. */
  @SuppressWarnings("try") // the lock is held for the body, never used in it
  InstalledModel rollback(ModelName name) throws StoreException {
    Refs.Ref current = refs.read(name).orElseThrow(() -> new ModelNotInstalledException(name.value()));
    Refs.Ref back = marks.previous(name).orElseThrow(() -> new StoreConfigException(name
        + " has no previous version to roll back to (an update keeps one until `soko gc`, `soko rm` or the budget"
        + " drops it): run `soko update " + name + "` or `soko install` a version by its manifest"));
    InstalledModel target = refs.model(back);
    Path pin = pins.pin(target.manifest());
    try {
      ModelCheck check = verifier.check(List.of(target), VerifyMode.CACHED).getFirst();
      if (check.state() != FileState.VERIFIED) {
        throw new ModelIntegrityException(target.manifest().id(), check.problems().isEmpty()
            ? List.of("its files are " + check.state()) : check.problems());
      }
      try (StoreLock.Held lock = StoreLock.acquire(layout.refsLock(), Store.LOCK_TIMEOUT)) {
        if (!refs.read(name).equals(Optional.of(current)) || !marks.previous(name).equals(Optional.of(back))) {
          throw new StoreConfigException(name + " changed while rolling back: run `soko rollback " + name + "` again");
        }
        Files2.writeAtomically(layout.ref(name), back.toJson());
        steps.reached("rollback-ref-written");
        marks.writePrevious(current);
      }
    } catch (IOException e) {
      throw new StoreIOException("cannot roll " + name + " back", e);
    } finally {
      Files2.deleteQuietly(pin);
    }
    return refs.require(name);
  }
}
