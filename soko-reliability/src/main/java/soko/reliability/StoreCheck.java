package soko.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The consistency checks run on a quiet store (no other Soko process running), each through the
 * CLI:
 *
 * <ol>
 *   <li>{@code list --json} and {@code verify --full --json} exit 0, name the same models, and
 *       every listed model is {@code verified} after a full re-hash: nothing is listed as
 *       installed while half-written;
 *   <li>a generated test model, when listed, has exactly the files and sha256 it was published
 *       with;
 *   <li>{@code diagnostics --json} counts as orphans exactly what {@code gc --dry-run --json} would
 *       remove (bytes and files);
 *   <li>no output holds a stack trace or "internal error", no command hangs;
 *   <li>nothing outside the store's roots changed since the last picture ({@link #outside}).
 * </ol>
 */
final class StoreCheck {
  static final Duration LIMIT = Duration.ofSeconds(120);

  private final Cli cli;
  private final World world;
  private final Map<String, Models.Model> generated;
  private final Tally tally;
  private Snapshot picture;

  StoreCheck(Cli cli, World world, Map<String, Models.Model> generated, Tally tally) {
    this.cli = cli;
    this.world = world;
    this.generated = Map.copyOf(generated);
    this.tally = tally;
    this.picture = world.snapshot();
  }

  /** The store as the checks saw it. */
  record State(Map<String, String> installed, long orphanBytes, int orphanFiles, long gcBytes, int gcFiles,
      long partialBytes) {
    boolean has(String name) {
      return installed.containsKey(name);
    }
  }

  /** Runs every check; findings go to the tally under {@code context}. */
  State check(String context) {
    tally.count("consistency checks", 1);
    Run list = run(context, "list", "--json");
    Run verify = run(context, "verify", "--full", "--json");
    Run diag = run(context, "diagnostics", "--json");
    Run gc = run(context, "gc", "--dry-run", "--json");

    Map<String, String> listed = models(context, list).orElse(Map.of());
    Map<String, String> verified = new TreeMap<>();
    Optional<JsonNode> v = json(context, verify);
    java.util.List<String> bad = new java.util.ArrayList<>();
    if (v.isPresent()) {
      for (JsonNode m : v.get().path("models")) {
        String id = m.path("name").asText() + "@" + m.path("version").asText();
        verified.put(m.path("name").asText(), id);
        if (!m.path("state").asText().equals("verified")) {
          bad.add(id + " is " + m.path("state").asText() + ": " + Text.clip(m.toString(), 800));
        }
        checkGenerated(context, m);
      }
    }
    if (!bad.isEmpty() || (verify.finished() && verify.exit() == 3)) {
      tally.add(Tally.Kind.CORRUPTION, context, verify.summary() + " " + bad);
    }
    if (list.ok() && v.isPresent() && !listed.equals(verified)) {
      tally.add(Tally.Kind.HALF_INSTALLED, context, "list names " + listed.values() + " but verify --full names "
          + verified.values());
    }
    long orphanBytes = -1;
    int orphanFiles = -1;
    long partial = -1;
    Optional<JsonNode> d = json(context, diag);
    if (d.isPresent()) {
      JsonNode s = d.get().path("storage");
      orphanBytes = s.path("orphans").asLong(-1);
      orphanFiles = s.path("orphanCount").asInt(-1);
      partial = s.path("partialDownloads").asLong(-1);
    }
    long gcBytes = -1;
    int gcFiles = -1;
    Optional<JsonNode> g = json(context, gc);
    if (g.isPresent()) {
      gcBytes = g.get().path("bytesFreed").asLong(-1);
      gcFiles = g.get().path("removed").size();
    }
    if (d.isPresent() && g.isPresent() && (orphanBytes != gcBytes || orphanFiles != gcFiles)) {
      tally.add(Tally.Kind.ORPHANS_DISAGREE, context, "diagnostics counts " + orphanBytes + " bytes in " + orphanFiles
          + " orphan file(s); gc --dry-run would remove " + gcBytes + " bytes in " + gcFiles + " file(s) ("
          + (gcBytes < orphanBytes ? "gc keeps " + (orphanBytes - gcBytes) + " bytes that diagnostics calls orphans"
              : "gc removes " + (gcBytes - orphanBytes) + " bytes that diagnostics does not call orphans") + ")");
    }
    outside(context);
    return new State(listed, orphanBytes, orphanFiles, gcBytes, gcFiles, partial);
  }

  /**
   * The short form for stores that saw one command and no crash: {@code verify --full --json}
   * exits 0 and every model it names is verified, generated models have their published files,
   * and nothing outside the roots changed. Orphans are not compared.
   */
  State quick(String context) {
    tally.count("consistency checks", 1);
    Run verify = run(context, "verify", "--full", "--json");
    Map<String, String> verified = new TreeMap<>();
    java.util.List<String> bad = new java.util.ArrayList<>();
    json(context, verify).ifPresent(v -> {
      for (JsonNode m : v.path("models")) {
        String id = m.path("name").asText() + "@" + m.path("version").asText();
        verified.put(m.path("name").asText(), id);
        if (!m.path("state").asText().equals("verified")) {
          bad.add(id + " is " + m.path("state").asText() + ": " + Text.clip(m.toString(), 800));
        }
        checkGenerated(context, m);
      }
    });
    if (!bad.isEmpty() || (verify.finished() && verify.exit() == 3)) {
      tally.add(Tally.Kind.CORRUPTION, context, verify.summary() + " " + bad);
    }
    outside(context);
    return new State(verified, -1, -1, -1, -1, -1);
  }

  /** The installed models by name (name → name@version) from {@code list --json}. */
  Map<String, String> listed(String context) {
    return models(context, run(context, "list", "--json")).orElse(Map.of());
  }

  /** Compares the world outside the roots with the last picture; any change is a finding. */
  void outside(String context) {
    Snapshot now = world.snapshot();
    List<Snapshot.Change> changes = now.changesSince(picture);
    if (!changes.isEmpty()) {
      long bytes = changes.stream().mapToLong(Snapshot.Change::bytes).sum();
      tally.outside(bytes);
      tally.add(Tally.Kind.OUTSIDE_WRITE, context, changes.size() + " change(s), " + bytes + " bytes: "
          + changes.subList(0, Math.min(10, changes.size())));
      picture = now; // report each change once
    }
  }

  private void checkGenerated(String context, JsonNode m) {
    Models.Model g = generated.get(m.path("name").asText());
    if (g == null || !m.path("version").asText().equals(g.version())) {
      return;
    }
    Map<String, String> listed = new LinkedHashMap<>();
    for (JsonNode f : m.path("files")) {
      listed.put(f.path("path").asText(), f.path("sha256").asText());
    }
    if (!new TreeMap<>(listed).equals(new TreeMap<>(g.sha256()))) {
      tally.add(Tally.Kind.HALF_INSTALLED, context, g.id() + " is listed with " + listed.size()
          + " file(s) that differ from the " + g.files().size() + " it was published with");
    }
  }

  private Run run(String context, String... args) {
    Run r = cli.run(LIMIT, world.args(args));
    tally.inspect(context, r);
    if (r.finished() && r.exit() != 0 && !(args[0].equals("verify") && r.exit() == 3)) {
      tally.add(Tally.Kind.WRONG_CODE, context, r.summary());
    }
    return r;
  }

  private Optional<Map<String, String>> models(String context, Run r) {
    return json(context, r).map(j -> {
      Map<String, String> m = new TreeMap<>();
      for (JsonNode x : j.path("models")) {
        m.put(x.path("name").asText(), x.path("name").asText() + "@" + x.path("version").asText());
      }
      return m;
    });
  }

  private Optional<JsonNode> json(String context, Run r) {
    if (!r.finished() || r.out().isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode n = Models.JSON.readTree(r.out());
      if (n.has("error")) {
        return Optional.empty();
      }
      return Optional.of(n);
    } catch (IOException e) {
      tally.add(Tally.Kind.BAD_OUTPUT, context, r.summary() + ": stdout is not JSON: " + Text.clip(r.out(), 300));
      return Optional.empty();
    }
  }

  static String names(Map<String, String> m) {
    return String.join(", ", new TreeSet<>(m.values()));
  }
}
