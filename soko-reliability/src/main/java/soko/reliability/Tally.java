package soko.reliability;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The figures of one harness run and every finding with what reproduces it. Thread-safe.
 *
 * <p>A finding that matches a {@link Known} pattern (a fault already filed and being fixed
 * elsewhere) is still counted and printed, but marked with its reference, so that a short run in
 * CI fails only on new faults. A known pattern that stops matching means its fix landed: the
 * report says so, and the pattern should then be deleted.
 */
final class Tally {
  /** What went wrong. */
  enum Kind {
    /** A command exited with a code other than the one the situation calls for. */
    WRONG_CODE,
    /** A code outside the documented 0..4. */
    UNDOCUMENTED_CODE,
    /** A JVM stack trace in the output of a command run without --verbose. */
    TRACE,
    /** "internal error": an unexpected exception shown by its class name. */
    INTERNAL_ERROR,
    /** A command outlived its time limit. */
    HANG,
    /** {@code verify --full} found a listed model corrupt or missing files. */
    CORRUPTION,
    /** A model listed as installed that is not the complete model (verify and list disagree). */
    HALF_INSTALLED,
    /** {@code diagnostics} and {@code gc --dry-run} disagree about orphaned bytes. */
    ORPHANS_DISAGREE,
    /** A killed command, run again, did not complete. */
    RERUN_FAILED,
    /** Something outside the store's roots was created, changed or removed. */
    OUTSIDE_WRITE,
    /** {@code --json} output that is not the documented JSON. */
    BAD_OUTPUT,
    /** The store after a command is not what the command promised (a model missing after install, still there after rm). */
    WRONG_STATE,
  }

  /** A fault already filed: findings of {@code kind} whose detail matches {@code detail}. */
  record Known(Kind kind, Pattern detail, String reference) {}

  record Finding(Kind kind, String context, String detail, Optional<String> known) {
    @Override
    public String toString() {
      return kind + (known.map(k -> " [known: " + k + "]").orElse("")) + " — " + context + ": " + detail;
    }
  }

  private final List<Known> known;
  private final List<Finding> findings = new ArrayList<>();
  private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
  private final Map<String, Long> figures = new LinkedHashMap<>();
  private final Map<String, Integer> knownSeen = new LinkedHashMap<>();
  private long bytesOutside;

  Tally(List<Known> known) {
    this.known = List.copyOf(known);
    known.forEach(k -> knownSeen.put(k.reference(), 0));
  }

  synchronized void add(Kind kind, String context, String detail) {
    Optional<String> ref = known.stream().filter(k -> k.kind() == kind && k.detail().matcher(detail).find())
        .map(Known::reference).findFirst();
    ref.ifPresent(r -> knownSeen.merge(r, 1, Integer::sum));
    Finding f = new Finding(kind, context, Text.clip(detail, 2000), ref);
    findings.add(f);
    counts.merge(kind, 1, Integer::sum);
    System.out.println("  FINDING " + f);
  }

  synchronized void outside(long bytes) {
    bytesOutside += bytes;
  }

  /** Adds {@code n} to a named figure ("kills", "commands", …). */
  synchronized void count(String figure, long n) {
    figures.merge(figure, n, Long::sum);
  }

  synchronized long figure(String name) {
    return figures.getOrDefault(name, 0L);
  }

  synchronized int count(Kind kind) {
    return counts.getOrDefault(kind, 0);
  }

  synchronized long bytesOutside() {
    return bytesOutside;
  }

  synchronized List<Finding> findings() {
    return List.copyOf(findings);
  }

  /** Findings that match no known fault. */
  synchronized List<Finding> unexpected() {
    return findings.stream().filter(f -> f.known().isEmpty()).toList();
  }

  /** Checks the output of every command for traces, internal errors and undocumented codes. */
  void inspect(String context, Run r) {
    count("commands", 1);
    String all = r.out() + "\n" + r.err();
    if (Text.hasTrace(all)) {
      add(Kind.TRACE, context, r.summary() + "\n" + Text.clip(all, 1500));
    }
    if (Text.hasInternalError(all)) {
      add(Kind.INTERNAL_ERROR, context, r.summary());
    }
    if (r.hung()) {
      add(Kind.HANG, context, r.summary());
    }
    if (r.finished() && (r.exit() < 0 || r.exit() > 4)) {
      add(Kind.UNDOCUMENTED_CODE, context, r.summary());
    }
  }

  /** The figures, counts and findings as text. */
  synchronized String report(String title) {
    StringBuilder b = new StringBuilder(title).append('\n');
    figures.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
    for (Kind k : Kind.values()) {
      b.append("  ").append(k.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(": ")
          .append(counts.getOrDefault(k, 0)).append('\n');
    }
    b.append("  bytes outside the store: ").append(bytesOutside).append('\n');
    knownSeen.forEach((ref, n) -> b.append("  known fault ").append(ref).append(": ")
        .append(n == 0 ? "not seen in this run (fixed? delete its pattern)" : n + " finding(s)").append('\n'));
    if (!findings.isEmpty()) {
      b.append("  findings:\n");
      findings.forEach(f -> b.append("   - ").append(f.toString().replace("\n", "\n     ")).append('\n'));
    }
    return b.toString();
  }
}
