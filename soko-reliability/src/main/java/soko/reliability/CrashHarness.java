package soko.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Kills {@code soko} commands with SIGKILL at random points and checks the store after each kill.
 *
 * <p>Each step picks an operation and, for installs and removals, a model; brings the store to a
 * state where the operation has work to do (an installed model is removed first nine times in ten;
 * a model is installed before its {@code rm}); starts the command; kills it after a random fraction
 * of that operation's window (its uninterrupted duration on this machine, measured first, plus a
 * tenth); then runs {@link StoreCheck#check} and the same command again, which must complete,
 * and checks that the store then holds what the command promised. Interrupted downloads are left
 * in place, so later steps also resume them.
 *
 * <p>The seed decides the operations, models and kill fractions (and the test models' bytes), so
 * a run is reproduced by its seed; the exact kill instants also depend on the machine's speed.
 */
final class CrashHarness {
  /** What can be killed. {@code IMPORT} adopts the user's downloaded file of the catalog's {@code rel-delta}. */
  enum Op {
    INSTALL_BUNDLED(2), INSTALL_DOWNLOAD(3), PULL_CATALOG(2), PULL_OCI(2), RM(3), GC(2), IMPORT(2);

    final int weight;

    Op(int weight) {
      this.weight = weight;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Faults already filed, counted but not failing a CI run: none now (issue 20 #7 was, until fixed). */
  static final List<Tally.Known> KNOWN = List.of();

  record Options(long seed, int kills, Path run, Path jar, Optional<Path> aot) {}

  private final Options options;
  private final Random random;
  private final Tally tally = new Tally(KNOWN);
  private final Map<String, Duration> windows = new java.util.HashMap<>();
  private final List<Op> skipped = new ArrayList<>();
  private Stage stage;
  private StoreCheck check;
  private Map<String, String> installed = Map.of();

  private CrashHarness(Options options) {
    this.options = options;
    this.random = new Random(options.seed());
  }

  /** Runs until {@code options.kills()} commands were killed while running; returns the figures. */
  static Tally run(Options options) throws IOException {
    return new CrashHarness(options).run();
  }

  private Tally run() throws IOException {
    System.out.println("crash harness: seed " + options.seed() + ", " + options.kills() + " kills, in " + options.run());
    try (Stage s = Stage.build(options.run(), options.jar(), options.aot(), new Random(options.seed()))) {
      stage = s;
      check = new StoreCheck(s.cli, s.world, s.generated(), tally);
      calibrate();
      int kills = 0;
      int steps = 0;
      int maxSteps = options.kills() * 4;
      while (kills < options.kills() && steps < maxSteps) {
        steps++;
        if (step(steps)) {
          kills++;
        }
      }
      check.check("after the last kill");
      tally.count("steps", 0); // keeps the figure's place when no step ran
      System.out.println(tally.report("crash harness, seed " + options.seed()));
      return tally;
    }
  }

  /**
   * Finds which operations can run here: the OCI pull needs docker-registry. The others are
   * calibrated when first picked.
   */
  private void calibrate() {
    if (stage.ociRef.isEmpty()) {
      skip(Op.PULL_OCI, stage.ociMissing.orElse("no registry"));
    }
    installed = check.listed("calibrating");
  }

  /**
   * The window to kill {@code op} on {@code model} in: its uninterrupted duration here, measured
   * the first time the pair is picked (that run is checked like any other), plus a tenth.
   */
  private Duration window(Op op, String model) {
    String key = op.label() + " " + model;
    Duration known = windows.get(key);
    if (known != null) {
      return known;
    }
    prepare(op, model);
    List<String> cmd = command(op, model);
    Run r = stage.cli.run(Stage.LIMIT, stage.world.args(cmd));
    tally.inspect("calibrating " + key, r);
    if (!r.ok()) {
      tally.add(Tally.Kind.WRONG_CODE, "calibrating " + key, r.summary());
    }
    installed = check.listed("calibrating " + key);
    Duration w = r.took().plus(r.took().dividedBy(10));
    w = w.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : w;
    windows.put(key, w);
    System.out.println("  window for " + key + ": " + w.toMillis() + " ms (uninterrupted: " + r.took().toMillis() + " ms)");
    return w;
  }

  private void skip(Op op, String why) {
    skipped.add(op);
    System.out.println("  " + op.label() + " skipped: " + why);
  }

  /** One pick, prepare, kill, check, re-run. Returns whether the command was killed while running. */
  private boolean step(int step) {
    Op op = pick();
    String model = modelFor(op);
    Duration window = window(op, model);
    double fraction = random.nextDouble();
    // Nine times in ten the command gets work to do; the tenth kills an install of an installed model.
    boolean removeFirst = random.nextInt(10) < 9;
    if (removeFirst || op == Op.RM) {
      prepare(op, model);
    }
    List<String> cmd = command(op, model);
    long delay = (long) (fraction * window.toMillis());
    String context = String.format(Locale.ROOT, "step %d (seed %d): %s %s, SIGKILL at %d ms", step, options.seed(),
        op.label(), model, delay);
    Cli.Running running = stage.cli.start(stage.world.args(cmd));
    sleepWhileAlive(running, delay);
    Run first = running.kill();
    tally.inspect(context, first);
    if (first.killed()) {
      tally.count("kills", 1);
      tally.count("kills: " + op.label(), 1);
    } else {
      tally.count("finished before the kill", 1);
      if (!first.ok()) {
        tally.add(Tally.Kind.WRONG_CODE, context, first.summary());
      }
    }
    StoreCheck.State after = check.check(context + ", after the kill");
    Run again = stage.cli.run(Stage.LIMIT, stage.world.args(cmd));
    tally.inspect(context + ", re-run", again);
    if (!again.ok()) {
      tally.add(Tally.Kind.RERUN_FAILED, context, again.summary());
    }
    installed = check.listed(context + ", after the re-run");
    boolean wanted = op != Op.RM && op != Op.GC;
    if (again.ok() && (op != Op.GC) && installed.containsKey(model) != wanted) {
      tally.add(Tally.Kind.WRONG_STATE, context, again.command() + " exited 0 but " + model
          + (wanted ? " is not listed" : " is still listed"));
    }
    System.out.printf(Locale.ROOT, "  %s (%.0f%% of %d ms) → %s; re-run → %s; installed: %s; orphans %d B, gc %d B%n",
        context, fraction * 100, window.toMillis(), first.killed() ? "killed" : "finished (exit " + first.exit() + ")",
        again.finished() ? "exit " + again.exit() : "hung", StoreCheck.names(installed), after.orphanBytes(), after.gcBytes());
    return first.killed();
  }

  private Op pick() {
    int total = 0;
    for (Op op : Op.values()) {
      total += skipped.contains(op) ? 0 : op.weight;
    }
    int r = random.nextInt(total);
    for (Op op : Op.values()) {
      if (skipped.contains(op)) {
        continue;
      }
      r -= op.weight;
      if (r < 0) {
        return op;
      }
    }
    throw new IllegalStateException();
  }

  private String modelFor(Op op) {
    return switch (op) {
      case INSTALL_BUNDLED -> random.nextBoolean() ? "silero-vad" : "demo-phrasebook";
      case INSTALL_DOWNLOAD -> random.nextInt(3) < 2 ? stage.alpha.name() : stage.gamma.name();
      case PULL_CATALOG -> stage.beta.name();
      case PULL_OCI -> stage.oci.name();
      case RM -> {
        List<String> names = stage.modelNames();
        yield names.get(random.nextInt(names.size()));
      }
      case GC -> "";
      case IMPORT -> stage.delta.name();
    };
  }

  /** Gives {@code op} work to do: removes the model before an install, installs it before an rm. */
  private void prepare(Op op, String model) {
    switch (op) {
      case INSTALL_BUNDLED, INSTALL_DOWNLOAD, PULL_CATALOG, PULL_OCI, IMPORT -> {
        if (installed.containsKey(model)) {
          Run r = stage.cli.run(Stage.LIMIT, stage.world.args("rm", model));
          tally.inspect("preparing " + op.label(), r);
          if (r.ok()) {
            installed = without(installed, model); // checked by the next consistency check
          } else {
            tally.add(Tally.Kind.WRONG_CODE, "preparing " + op.label() + " " + model, r.summary());
            installed = check.listed("preparing " + op.label());
          }
        }
      }
      case RM -> {
        if (!installed.containsKey(model)) {
          Run r = stage.cli.run(Stage.LIMIT, stage.world.args(stage.installCommand(model)));
          tally.inspect("preparing rm", r);
          if (!r.ok()) {
            tally.add(Tally.Kind.WRONG_CODE, "preparing rm " + model, r.summary());
          }
          installed = check.listed("preparing rm");
        }
      }
      case GC -> { }
    }
  }

  private static Map<String, String> without(Map<String, String> m, String name) {
    Map<String, String> copy = new java.util.TreeMap<>(m);
    copy.remove(name);
    return copy;
  }

  private List<String> command(Op op, String model) {
    return switch (op) {
      case INSTALL_BUNDLED, INSTALL_DOWNLOAD, PULL_CATALOG, PULL_OCI, IMPORT -> stage.installCommand(model);
      case RM -> List.of("rm", model);
      case GC -> List.of("gc");
    };
  }

  private static void sleepWhileAlive(Cli.Running r, long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    try {
      while (r.alive() && System.nanoTime() < until) {
        Thread.sleep(Math.min(10, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
