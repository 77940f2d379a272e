package soko.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.EngineRequirement;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.verification.Hashing;

/**
 * The storage budget with real files in a real store: installs evict the least recently used
 * models first, never one marked keep, bundled, or held open by another process, and refuse
 * (writing nothing) when nothing may go; prune frees down to the budget.
 */
class BudgetTest {
  private static final int MIB = 1 << 20;

  /** A clock the test moves: installs and uses happen at chosen times. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void hours(int h) {
      now = now.plusSeconds(3600L * h);
    }
  }

  @TempDir
  Path dir;

  Path home;
  MovingClock clock = new MovingClock();
  Soko soko;
  int seed;

  @BeforeEach
  void open() throws Exception {
    home = dir.resolve("home");
    soko = Soko.open(Settings.resolve(Map.of(), new Properties(), Optional.of(home), Optional.empty(), false), clock,
        new Properties());
  }

  /** A model of one file of {@code mib} MiB of random bytes, with a file: source. */
  private Manifest model(String name, double mib) throws Exception {
    byte[] b = new byte[(int) (mib * MIB)];
    new Random(++seed).nextBytes(b);
    Path f = dir.resolve("src").resolve(name + ".bin");
    Files.createDirectories(f.getParent());
    Files.write(f, b);
    ModelFile file = new ModelFile(RelativePath.parse(name + ".bin"), b.length, Hashing.sha256(b),
        List.of(new SourceUri(f.toUri())));
    return manifest(name, file);
  }

  private static Manifest manifest(String name, ModelFile... files) {
    return new Manifest(ModelName.parse(name), Version.parse("1.0.0"), "test model", List.of(TaskSpec.vad()),
        new EngineRequirement("test-engine", VersionRange.ANY),
        new License("MIT", URI.create("https://example.org/LICENSE"), "test"), List.of(files), false, Map.of());
  }

  /** Installs a, b, c one hour apart; engines open a (hour 5) and b (hour 3); c is never used. */
  private void threeModels() throws Exception {
    for (String n : List.of("a", "b", "c")) {
      soko.install(model(n, 1), "test");
      clock.hours(1);
    }
    clock.hours(1);
    soko.store().recordUse(ModelName.parse("b")); // hour 4
    clock.hours(1);
    soko.store().recordUse(ModelName.parse("a")); // hour 5
    clock.hours(1);
  }

  private List<String> installed() throws Exception {
    List<String> out = new ArrayList<>();
    soko.store().installed().forEach(m -> out.add(m.manifest().name().value()));
    return out;
  }

  @Test
  void anInstallOverTheBudgetEvictsTheLeastRecentlyUsedFirst() throws Exception {
    threeModels();
    soko.config().set(ConfigFile.Key.BUDGET, "3.5MiB");

    Soko.InstallResult d = soko.install(model("d", 1), "test");
    assertThat(d.evicted()).containsExactly("evicted c 1.0.0 (1.0 MiB, never used)");
    assertThat(installed()).containsExactly("a", "b", "d");

    Soko.InstallResult e = soko.install(model("e", 1), "test");
    assertThat(e.evicted()).containsExactly("evicted b 1.0.0 (1.0 MiB, last used 2026-12-01)");
    assertThat(installed()).containsExactly("a", "d", "e");
    assertThat(soko.store().usage().orphans()).as("eviction frees the blobs, not only the refs").isZero();
  }

  @Test
  void aModelMarkedKeepIsNeverEvicted() throws Exception {
    threeModels();
    soko.keep("c", true);
    soko.config().set(ConfigFile.Key.BUDGET, "3.5MiB");

    assertThat(soko.install(model("d", 1), "test").evicted()).singleElement().asString().startsWith("evicted b ");
    assertThat(installed()).containsExactly("a", "c", "d");
  }

  @Test
  void aModelHeldOpenByAnotherProcessIsNeverEvicted() throws Exception {
    threeModels();
    soko.config().set(ConfigFile.Key.BUDGET, "3.5MiB");
    Path ready = dir.resolve("ready");
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), "soko.store.StoreChild", "hold", home.toString(), "c", ready.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("hold.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(ready)) {
        assertThat(child.isAlive()).as("the holding child runs: " + dir.resolve("hold.log")).isTrue();
        assertThat(System.nanoTime()).as("the child holds c within two minutes").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(soko.store().held()).containsExactly("c@1.0.0");

      assertThat(soko.install(model("d", 1), "test").evicted()).singleElement().asString().startsWith("evicted b ");
      assertThat(installed()).containsExactly("a", "c", "d");
    } finally {
      child.destroyForcibly();
      child.waitFor(60, TimeUnit.SECONDS);
    }
    assertThat(soko.store().held()).as("released once its process is gone").isEmpty();
    assertThat(soko.install(model("e", 1), "test").evicted()).singleElement().asString().startsWith("evicted c ");
  }

  @Test
  void anInstallThatCannotFitIsRefusedBeforeAnythingIsWritten() throws Exception {
    threeModels();
    for (String n : List.of("a", "b", "c")) {
      soko.keep(n, true);
    }
    soko.config().set(ConfigFile.Key.BUDGET, "3.5MiB");
    Manifest d = model("d", 1);

    assertThatThrownBy(() -> soko.install(d, "test")).isInstanceOf(BudgetException.class)
        .hasMessage("installing d@1.0.0 needs 512 KiB more than the budget of 3.5MiB allows (3.0 MiB used, 1.0 MiB to"
            + " add), and nothing may be evicted; what would have to go: a 1.0.0 (kept),"
            + " b 1.0.0 (kept), c 1.0.0 (kept): raise the budget (`soko config set budget SIZE`), unmark a model"
            + " (`soko keep --unset NAME`) or remove one (`soko rm NAME`)");
    assertThat(installed()).containsExactly("a", "b", "c");
    assertThat(soko.store().hasBlob(d.files().getFirst().sha256())).isFalse();
  }

  @Test
  void theConsentPlanSaysWhatWillBeEvicted() throws Exception {
    threeModels();
    soko.config().set(ConfigFile.Key.BUDGET, "3.5MiB");
    byte[] b = new byte[MIB];
    new Random(99).nextBytes(b);
    ModelFile remote = new ModelFile(RelativePath.parse("r.bin"), b.length, Hashing.sha256(b),
        List.of(new SourceUri(URI.create("https://mirror.invalid/r.bin"))));

    DownloadPlan plan = soko.plan(manifest("r", remote));

    assertThat(plan.evictions()).extracting(Eviction::name).containsExactly("c");
    assertThat(plan.summary()).endsWith("; to stay within the budget, evicts c 1.0.0 (1.0 MiB, never used)");
    assertThat(installed()).as("planning evicts nothing").containsExactly("a", "b", "c");
  }

  @Test
  void pruneFreesDownToTheBudgetAndADryRunChangesNothing() throws Exception {
    threeModels();
    soko.config().set(ConfigFile.Key.BUDGET, "1.5MiB");

    Soko.Prune dry = soko.prune(true);
    assertThat(dry.evictions()).extracting(Eviction::name).containsExactly("c", "b");
    assertThat(dry.done()).isEmpty();
    assertThat(installed()).containsExactly("a", "b", "c");

    Soko.Prune done = soko.prune(false);
    assertThat(done.done()).hasSize(2);
    assertThat(installed()).containsExactly("a");
    assertThat(soko.prune(true).evictions()).isEmpty();
  }

  @Test
  void pruneWithoutABudgetSaysHowToSetOne() {
    assertThatThrownBy(() -> soko.prune(true)).isInstanceOf(BudgetException.class)
        .hasMessage("no storage budget is set: set one with `soko config set budget SIZE` (such as 20GiB) or SOKO_BUDGET");
  }

  @Test
  void theSettingsFileKeepsCheckedValuesOnly() throws Exception {
    ConfigFile c = soko.config();
    assertThat(c.set(ConfigFile.Key.BUDGET, "20 gib")).isEqualTo("20GiB");
    assertThat(soko.budget()).map(b -> b.budget().bytes()).contains(20L << 30);
    assertThat(soko.budget()).map(BudgetSetting::origin).contains("settings");
    assertThatThrownBy(() -> c.set(ConfigFile.Key.BUDGET, "lots")).isInstanceOf(InvalidSettingException.class)
        .hasMessage("the budget \"lots\" is not a size: give a number and a unit, such as 20GiB, 500MiB or 1.5TB");
    assertThatThrownBy(() -> c.set(ConfigFile.Key.BUDGET, "20")).isInstanceOf(InvalidSettingException.class)
        .hasMessage("the budget \"20\" is below 1 MiB: give a size such as 20GiB");
    assertThat(c.get(ConfigFile.Key.BUDGET)).contains("20GiB");
    assertThat(c.unset(ConfigFile.Key.BUDGET)).isTrue();
    assertThat(soko.budget()).isEmpty();

    Files.writeString(c.file(), "{\"schemaVersion\":1,\"budget\":\"a lot\"}");
    assertThatThrownBy(soko::budget).isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith(c.file() + ": budget is invalid (");
    assertThat(c.set(ConfigFile.Key.BUDGET, "1TB")).as("setting repairs it").isEqualTo("1TB");
    assertThat(soko.budget()).map(b -> b.budget().bytes()).contains(1_000_000_000_000L);
  }
}
