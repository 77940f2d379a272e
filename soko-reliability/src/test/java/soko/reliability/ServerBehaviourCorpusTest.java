package soko.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus rows marked {@code ci} against the packaged CLI; every row runs in the full run
 * ({@code bash bench/reliability.sh corpus}).
 */
class ServerBehaviourCorpusTest {
  @TempDir
  Path dir;

  @Test
  void everyCiRowEndsWithItsExitCodeAndMessage() throws Exception {
    Path jar = Harness.jar();
    long seed = Harness.seed();
    ServerCorpus.Results r = ServerCorpus.run(new ServerCorpus.Options(seed, dir, jar, Harness.aot(jar), true, List.of(),
        6, ServerCorpus.CI_LIMIT));
    String report = r.results().stream().map(x -> x.verdict() + " " + x.c().id() + ": " + x.install().summary()
        + (x.problems().isEmpty() ? "" : "\n    " + String.join("\n    ", x.problems()))).collect(Collectors.joining("\n"));
    assertThat(r.results()).as(report).hasSize((int) ServerCorpus.load().stream().filter(ServerCorpus.Case::ci).count());
    assertThat(r.failures()).as(report).isEmpty();
    assertThat(r.tally().bytesOutside()).as(report).isZero();
  }

  @Test
  void theCorpusHoldsAtLeastThirtyDistinctBehavioursWithDocumentedCodes() {
    List<ServerCorpus.Case> cases = ServerCorpus.load();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    assertThat(cases.stream().map(ServerCorpus.Case::id).collect(Collectors.toSet())).hasSize(cases.size());
    assertThat(cases).allSatisfy(c -> {
      assertThat(c.exit()).as(c.id()).isIn(0, 1, 2, 3, 4);
      assertThat(c.server()).as(c.id()).isIn("fault", "raw", "tls", "nginx");
      assertThat(Set.of("main", "good", "closed", "second", "unresolvable")).as(c.id()).containsAll(c.sources());
      switch (c.server()) {
        case "raw", "tls" -> assertThat(Scripts.named(c.behaviour(), new byte[ServerCorpus.BODY],
            java.net.URI.create("http://127.0.0.1:1/"))).as(c.id()).isNotNull();
        case "nginx" -> assertThat(ServerCorpus.NginxLocations.named(c.behaviour())).as(c.id()).isNotBlank();
        default -> { }
      }
      if (c.pending().isPresent()) {
        assertThat(c.now()).as(c.id() + ": a pending row records what happens today").matches("hang|\\d(:.+)?");
      }
    });
    assertThat(cases).filteredOn(ServerCorpus.Case::ci).hasSizeGreaterThanOrEqualTo(20);
  }
}
