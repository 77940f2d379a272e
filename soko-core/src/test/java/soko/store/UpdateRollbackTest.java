package soko.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;

/**
 * An update keeps the version it replaces; rollback switches back (and forward again) only to a
 * version that verifies; gc and removal let the kept version go; and a process killed with
 * SIGKILL at any step of an update or a rollback leaves the old or the new version installed and
 * verified.
 */
class UpdateRollbackTest {
  private static final ModelName M = ModelName.parse("model-m");

  @TempDir
  Path dir;

  Path home;
  Manifest v1;
  Manifest v2;
  /** Bytes only v1 has (the shared file stays with v2). */
  long onlyV1 = 200_000;

  @BeforeEach
  void installV1() throws Exception {
    home = dir.resolve("home");
    Path src = dir.resolve("src");
    Path shared = StoreFixtures.randomFile(src, "shared.bin", 100_000, 1);
    v1 = StoreFixtures.manifest("model-m", "1.0.0", List.of(StoreFixtures.fileOf("shared.bin", shared),
        StoreFixtures.fileOf("weights.bin", StoreFixtures.randomFile(src, "w1.bin", 200_000, 2))));
    v2 = StoreFixtures.manifest("model-m", "2.0.0", List.of(StoreFixtures.fileOf("shared.bin", shared),
        StoreFixtures.fileOf("weights.bin", StoreFixtures.randomFile(src, "w2.bin", 300_000, 3))));
    install(store(), v1, false);
  }

  private Store store() throws StoreException {
    return Store.open(StoreChild.roots(home), Clock.systemUTC());
  }

  private static InstalledModel install(Store store, Manifest m, boolean keepPrevious) throws Exception {
    try (Store.Install tx = store.beginInstall(m)) {
      for (ModelFile f : tx.missingFiles()) {
        try (InputStream in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
          store.putBlob(f, in, "test");
        }
      }
      return tx.commit("test", keepPrevious);
    }
  }

  private static String installedVersion(Store store) throws StoreException {
    return store.require(M).manifest().version().text();
  }

  private static void assertVerified(Store store) throws StoreException {
    assertThat(store.check(store.require(M), VerifyMode.FULL).state()).isEqualTo(FileState.VERIFIED);
  }

  @Test
  void updateKeepsTheReplacedVersionAndRollbackGoesBackAndForth() throws Exception {
    Store store = store();
    install(store, v2, true);
    assertThat(installedVersion(store)).isEqualTo("2.0.0");
    assertThat(store.previous(M)).map(p -> p.manifest().version().text()).contains("1.0.0");

    store.rollback(M);
    assertThat(installedVersion(store)).isEqualTo("1.0.0");
    assertVerified(store);
    assertThat(store.previous(M)).map(p -> p.manifest().version().text()).contains("2.0.0");

    store.rollback(M);
    assertThat(installedVersion(store)).isEqualTo("2.0.0");
    assertVerified(store);
  }

  @Test
  void anInstallThatIsNoUpdateKeepsNothing() throws Exception {
    Store store = store();
    install(store, v2, false);
    assertThat(store.previous(M)).isEmpty();
    assertThatThrownBy(() -> store.rollback(M)).isInstanceOf(StoreConfigException.class)
        .hasMessage("model-m has no previous version to roll back to (an update keeps one until `soko gc`, `soko rm`"
            + " or the budget drops it): run `soko update model-m` or `soko install` a version by its manifest");
  }

  @Test
  void rollbackRefusesAKeptVersionWithAMissingFileAndChangesNothing() throws Exception {
    Store store = store();
    install(store, v2, true);
    ModelFile weights1 = v1.files().get(1);
    Files.delete(store.blobPath(weights1.sha256()));

    assertThatThrownBy(() -> store.rollback(M)).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("model-m@1.0.0");
    assertThat(installedVersion(store)).isEqualTo("2.0.0");
    assertVerified(store);
  }

  @Test
  void gcLetsTheKeptVersionGoAndFreesOnlyWhatNoOtherVersionUses() throws Exception {
    Store store = store();
    install(store, v2, true);
    assertThat(store.usage().orphans()).as("a kept version is no orphan").isZero();

    GcReport dry = store.gc(true);
    assertThat(dry.notices()).contains("would drop model-m@1.0.0, kept for `soko rollback model-m`");
    assertThat(store.previous(M)).as("a dry run changes nothing").isPresent();

    GcReport gc = store.gc(false);
    long manifestBytes = gc.bytesFreed() - onlyV1;
    assertThat(manifestBytes).as("the v1 manifest, then its own blob").isPositive().isLessThan(10_000);
    assertThat(gc.bytesFreed()).isEqualTo(dry.bytesFreed());
    assertThat(store.previous(M)).isEmpty();
    assertThat(store.hasBlob(v1.files().get(0).sha256())).as("shared with v2").isTrue();
    assertThat(store.hasBlob(v1.files().get(1).sha256())).isFalse();
    assertVerified(store);
    assertThat(store.gc(false).bytesFreed()).isZero();
  }

  @Test
  void removingTheModelTakesItsKeptVersionToo() throws Exception {
    Store store = store();
    install(store, v2, true);
    store.remove(M);
    for (ModelFile f : v1.files()) {
      assertThat(store.hasBlob(f.sha256())).isFalse();
    }
    assertThat(store.previous(M)).isEmpty();
    assertThat(store.usage().orphans()).isZero();
  }

  @Test
  void droppingTheKeptVersionFreesItsOwnBlobs() throws Exception {
    Store store = store();
    install(store, v2, true);
    GcReport r = store.dropPrevious(M);
    assertThat(r.bytesFreed()).isGreaterThan(onlyV1);
    assertThat(store.previous(M)).isEmpty();
    assertVerified(store);
  }

  @ParameterizedTest
  @ValueSource(strings = {"manifest-written", "previous-written", "ref-written"})
  void anUpdateKilledAtAnyStepLeavesTheOldOrTheNewVersionUsable(String step) throws Exception {
    Path manifest = dir.resolve("v2.json");
    Files.write(manifest, ManifestCodec.write(v2));
    Path ready = dir.resolve("ready-" + step);
    StoreChild.startAndKill(dir.resolve("update-" + step + ".log"), ready, "update", home.toString(),
        manifest.toString(), step, ready.toString());

    Store store = store();
    assertThat(installedVersion(store)).isEqualTo(step.equals("ref-written") ? "2.0.0" : "1.0.0");
    assertVerified(store);

    install(store, v2, true); // the same update, run again, completes
    assertThat(installedVersion(store)).isEqualTo("2.0.0");
    assertVerified(store);
    assertThat(store.previous(M)).map(p -> p.manifest().version().text()).contains("1.0.0");
    store.rollback(M);
    assertThat(installedVersion(store)).isEqualTo("1.0.0");
    assertVerified(store);

    GcReport dry = store.gc(true);
    assertThat(store.gc(false).bytesFreed()).as("a dry run says what gc frees").isEqualTo(dry.bytesFreed());
    assertVerified(store);
    assertThat(store.usage().orphans()).isZero();
    assertThat(listManifests()).as("only the installed version's manifest is left").hasSize(1);
  }

  @Test
  void aRollbackKilledAfterTheRefSwitchLeavesTheOlderVersionUsable() throws Exception {
    install(store(), v2, true);
    Path ready = dir.resolve("ready-rollback");
    StoreChild.startAndKill(dir.resolve("rollback.log"), ready, "rollback", home.toString(), M.value(),
        "rollback-ref-written", ready.toString());

    Store store = store();
    assertThat(installedVersion(store)).isEqualTo("1.0.0");
    assertVerified(store);
    assertThat(store.previous(M)).as("the record still names the version now installed: nothing to go back to")
        .isEmpty();
    store.gc(false);
    assertVerified(store);
    assertThat(store.usage().orphans()).isZero();
    assertThat(Set.copyOf(listManifests())).hasSize(1);
  }

  private List<Path> listManifests() throws Exception {
    try (var s = Files.list(home.resolve("data/manifests/model-m"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
          .toList();
    }
  }
}
