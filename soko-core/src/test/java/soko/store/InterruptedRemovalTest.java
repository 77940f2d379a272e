package soko.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import soko.app.Settings;
import soko.app.Soko;
import soko.manifest.Manifest;
import soko.manifest.ModelName;

/**
 * {@code soko rm} killed with SIGKILL at each of its steps: the next rm, or gc, finishes the
 * removal and frees every byte, and diagnostics counts as orphans exactly what gc frees.
 */
class InterruptedRemovalTest {
  private static final ModelName A = ModelName.parse("model-a");

  @TempDir
  Path dir;

  Path home;
  Manifest a;
  Manifest b;
  /** The bytes only model-a uses: two files of three (the third is shared with model-b). */
  long onlyA = 200_000 + 300_000;

  @BeforeEach
  void install() throws Exception {
    home = dir.resolve("home");
    Path src = dir.resolve("src");
    Path shared = StoreFixtures.randomFile(src, "shared.bin", 100_000, 1);
    a = StoreFixtures.manifest("model-a", shared, StoreFixtures.randomFile(src, "a1.bin", 200_000, 2),
        StoreFixtures.randomFile(src, "a2.bin", 300_000, 3));
    b = StoreFixtures.manifest("model-b", shared);
    Soko soko = soko();
    soko.install(a, "test");
    soko.install(b, "test");
  }

  private Soko soko() throws Exception {
    return Soko.open(Settings.resolve(java.util.Map.of(), new Properties(), Optional.of(home), Optional.empty(), false),
        Clock.systemUTC(), new Properties());
  }

  private void killRemovalAt(String step) throws Exception {
    Path ready = dir.resolve("ready-" + step);
    StoreChild.startAndKill(dir.resolve("rm-" + step + ".log"), ready, "rm", home.toString(), A.value(), step,
        ready.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"intent-written", "ref-deleted", "manifests-deleted", "blob-deleted"})
  void rmAgainFinishesARemovalKilledAtAnyStepAndFreesEveryByte(String step) throws Exception {
    killRemovalAt(step);
    Store store = Store.open(StoreChild.roots(home), Clock.systemUTC());
    assertDiagnosticsAndGcAgree(store);
    boolean refWasDeleted = !step.equals("intent-written");
    assertThat(store.installed(A).isPresent()).as("installed until its ref is deleted").isEqualTo(!refWasDeleted);
    long freedBefore = step.equals("blob-deleted") ? freedSoFar(store) : 0;
    assertThat(freedBefore > 0).as("killed after its first blob").isEqualTo(step.equals("blob-deleted"));

    GcReport again = store.remove(A);

    assertThat(again.bytesFreed() + freedBefore).isEqualTo(onlyA);
    if (refWasDeleted) {
      assertThat(again.notices()).singleElement().asString().startsWith("finished the interrupted removal of model-a");
    } else {
      assertThat(again.notices()).as("it was still installed: an ordinary removal").isEmpty();
    }
    assertRemovedCleanly(store);
    GcReport third = store.remove(A);
    assertThat(third.bytesFreed()).isZero();
    assertThat(third.notices()).singleElement().asString().startsWith("model-a was already removed (at ");
  }

  @Test
  void rmAgainAfterARemovalKilledOnceCompleteSaysSoWithoutFailing() throws Exception {
    killRemovalAt("intent-deleted");
    Store store = Store.open(StoreChild.roots(home), Clock.systemUTC());
    assertRemovedCleanly(store);
    assertDiagnosticsAndGcAgree(store);

    GcReport again = store.remove(A);

    assertThat(again.bytesFreed()).isZero();
    assertThat(again.removed()).isEmpty();
    assertThat(again.notices()).singleElement().asString().startsWith("model-a was already removed (at ");
    assertRemovedCleanly(store);
  }

  @Test
  void rmOfAModelNeverInstalledIsStillRefused() throws Exception {
    assertThatThrownBy(() -> Store.open(StoreChild.roots(home), Clock.systemUTC()).remove(ModelName.parse("model-c")))
        .isInstanceOf(ModelNotInstalledException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ref-deleted", "manifests-deleted", "blob-deleted"})
  void gcFinishesARemovalKilledAfterTheRefWasDeleted(String step) throws Exception {
    killRemovalAt(step);
    Store store = Store.open(StoreChild.roots(home), Clock.systemUTC());
    long freedBefore = step.equals("blob-deleted") ? freedSoFar(store) : 0;

    GcReport gc = store.gc(false);

    assertThat(gc.bytesFreed() + freedBefore).isEqualTo(onlyA);
    assertThat(gc.notices()).contains("finished the interrupted removal of model-a");
    assertRemovedCleanly(store);
  }

  @Test
  void gcLeavesAModelWhoseRemovalWasKilledBeforeItsRefWasDeletedInstalled() throws Exception {
    killRemovalAt("intent-written");
    Store store = Store.open(StoreChild.roots(home), Clock.systemUTC());
    assertThat(store.gc(false).removed()).isEmpty();
    assertThat(store.check(store.require(A), VerifyMode.FULL).state()).isEqualTo(FileState.VERIFIED);
    assertThat(home.resolve("data/state/removing/model-a.json")).as("nothing left to finish").doesNotExist();
  }

  /** What the killed rm freed before it died: a's blobs that are gone. */
  private long freedSoFar(Store store) {
    return a.files().stream().filter(f -> !b.files().getFirst().sha256().equals(f.sha256()))
        .filter(f -> !store.hasBlob(f.sha256())).mapToLong(f -> f.size()).sum();
  }

  private static void assertDiagnosticsAndGcAgree(Store store) throws Exception {
    StorageUse use = store.usage();
    GcReport dry = store.gc(true);
    assertThat(dry.removed()).as("what gc would free is what diagnostics counts").hasSize(use.orphanCount());
    assertThat(dry.bytesFreed()).isEqualTo(use.orphans());
  }

  private void assertRemovedCleanly(Store store) throws Exception {
    assertThat(store.installed()).extracting(m -> m.manifest().name().value()).containsExactly("model-b");
    assertThat(store.check(store.require(ModelName.parse("model-b")), VerifyMode.FULL).state())
        .isEqualTo(FileState.VERIFIED);
    StorageUse use = store.usage();
    assertThat(use.orphanCount()).isZero();
    assertThat(use.models()).isEqualTo(100_000);
    assertThat(home.resolve("data/manifests/model-a")).doesNotExist();
    assertThat(home.resolve("data/refs/model-a.json")).doesNotExist();
    assertThat(List.of(home.resolve("data/state/removing").toFile().list())).isEmpty();
    assertThat(Files.exists(home.resolve("data/state/removing/model-a.json"))).isFalse();
  }
}
