package soko.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harnesses' own checks can fail: each detects what it is there to detect. */
class HarnessSelfTest {
  @TempDir
  Path dir;

  @Test
  void aSnapshotSeesEveryKindOfChangeOutsideTheSkippedRoots() throws Exception {
    World w = World.create(dir.resolve("world"), new Random(1));
    Files.createDirectories(w.data());
    Snapshot before = w.snapshot();
    Files.writeString(w.data().resolve("inside.txt"), "Soko's own file"); // inside a root: not a change
    Files.write(w.dir().resolve("outside/precious.bin"), new byte[] {1, 2, 3});
    Files.writeString(w.dir().resolve("new.txt"), "12345");
    Files.delete(w.library().resolve("2025/notes.txt"));
    Files.setPosixFilePermissions(w.dir().resolve("notes.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.delete(w.library().resolve("dangling-link"));
    Files.createSymbolicLink(w.library().resolve("dangling-link"), w.data());

    List<Snapshot.Change> changes = w.snapshot().changesSince(before);

    assertThat(changes).extracting(Snapshot.Change::path).containsExactlyInAnyOrder("outside/precious.bin", "new.txt",
        "home/library/2025/notes.txt", "notes.txt", "home/library/dangling-link");
    assertThat(changes).filteredOn(c -> c.path().equals("outside/precious.bin")).singleElement()
        .satisfies(c -> assertThat(c.what()).isEqualTo("content changed"));
    assertThat(changes).filteredOn(c -> c.path().equals("new.txt")).singleElement()
        .satisfies(c -> assertThat(c.bytes()).isEqualTo(5));
  }

  @Test
  void anUnchangedWorldHasNoChanges() {
    World w = World.create(dir.resolve("world"), new Random(2));
    assertThat(w.snapshot().changesSince(w.snapshot())).isEmpty();
  }

  @Test
  void aJvmStackTraceIsDetectedAndAnOrdinaryErrorIsNot() {
    StringWriter sw = new StringWriter();
    new IllegalStateException("boom", new java.io.IOException("cause")).printStackTrace(new PrintWriter(sw));
    assertThat(Text.hasTrace("soko: something\n" + sw)).isTrue();
    assertThat(Text.hasTrace("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space")).isTrue();
    assertThat(Text.hasTrace("soko: model.bin: downloading http://127.0.0.1:1/model.bin: the server answered 404 Not Found;"
        + " the file is not at this URL; fix the manifest or use another source")).isFalse();
    assertThat(Text.hasInternalError("soko: internal error: java.lang.NumberFormatException: For input string")).isTrue();
  }

  @Test
  void aKnownFaultIsMarkedAndAnyOtherFindingIsUnexpected() {
    Tally t = new Tally(List.of(new Tally.Known(Tally.Kind.ORPHANS_DISAGREE, Pattern.compile("gc keeps \\d+ bytes"),
        "issue 20 #7")));
    t.add(Tally.Kind.ORPHANS_DISAGREE, "step 1", "diagnostics counts 10 bytes; gc keeps 10 bytes that diagnostics calls orphans");
    t.add(Tally.Kind.ORPHANS_DISAGREE, "step 2", "gc removes 5 bytes that diagnostics does not call orphans");
    assertThat(t.findings()).hasSize(2);
    assertThat(t.unexpected()).singleElement().satisfies(f -> assertThat(f.context()).isEqualTo("step 2"));
    assertThat(t.report("r")).contains("orphans disagree: 2").contains("known fault issue 20 #7: 1 finding(s)");
  }

  @Test
  void aCommandOutputWithATraceOrAnUndocumentedCodeIsAFinding() {
    Tally t = new Tally(List.of());
    t.inspect("c", new Run(List.of("gc"), 0, false, false, "", "", java.time.Duration.ZERO));
    assertThat(t.findings()).isEmpty();
    t.inspect("c", new Run(List.of("gc"), 70, false, false, "", "soko: x", java.time.Duration.ZERO));
    t.inspect("c", new Run(List.of("gc"), 1, false, false, "", "java.lang.RuntimeException: x\n\tat soko.store.Store.gc(Store.java:12)\n",
        java.time.Duration.ZERO));
    t.inspect("c", new Run(List.of("gc"), 137, false, true, "", "", java.time.Duration.ofMinutes(3)));
    assertThat(t.findings()).extracting(Tally.Finding::kind).containsExactly(Tally.Kind.UNDOCUMENTED_CODE,
        Tally.Kind.TRACE, Tally.Kind.HANG);
  }

  @Test
  void theWorldIsOutsideTheRootsItSkips() {
    World w = World.create(dir.resolve("world"), new Random(3));
    assertThat(w.snapshot().entries().keySet()).contains("home/library/precious-link.bin", "outside/precious.bin",
        "home/readme.txt").noneMatch(p -> p.startsWith("home/data") || p.startsWith("home/cache"));
    assertThat(Set.of(w.data(), w.cache())).allMatch(p -> p.startsWith(w.home()));
  }
}
