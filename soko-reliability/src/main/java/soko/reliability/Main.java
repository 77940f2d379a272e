package soko.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code java -jar soko-reliability.jar crash|concurrency|corpus|all [--seed N] [--kills N]
 * [--rounds N] [--ops N] [--only ID,…] [--jar soko-cli.jar] [--dir DIR]}: the full harnesses, for
 * bench/crash.sh and bench/reliability.sh. Exits 1 when any finding is not a known fault.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println("""
          usage: soko-reliability crash|concurrency|corpus|all [options]
            --seed N        reproduce a run (default: a new random seed, printed)
            --kills N       crash: commands to kill while running (default 100)
            --workers N     concurrency: processes at once (default 4)
            --ops N         concurrency: operations per process (default 50)
            --round N       concurrency: operations per process between two checks (default 10)
            --only ID,...   corpus: only these cases
            --ci            corpus: only the cases marked for CI (the fast ones)
            --parallel N    corpus: cases at once (default 4)
            --aot-dir DIR   where the AOT cache of the jar is kept (default: beside --dir)
            --no-aot        start soko without the JDK's AOT class cache (slower; the launcher ./soko uses one)
            --jar FILE      the soko-cli.jar to drive (default soko-cli/target/soko-cli.jar)
            --dir DIR       where to work (default: a new folder under target/reliability)""");
      return;
    }
    String what = args[0];
    long seed = new SecureRandom().nextLong() & 0xffffffffL;
    int kills = 100;
    int workers = 4;
    int ops = 50;
    int round = 10;
    int parallel = 4;
    List<String> only = new ArrayList<>();
    boolean ci = false;
    boolean noAot = false;
    Path aotDir = null;
    Path jar = Path.of("soko-cli/target/soko-cli.jar");
    Path dir = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--kills" -> kills = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--ops" -> ops = Integer.parseInt(args[++i]);
        case "--round" -> round = Integer.parseInt(args[++i]);
        case "--only" -> only.addAll(List.of(args[++i].split(",")));
        case "--ci" -> ci = true;
        case "--no-aot" -> noAot = true;
        case "--aot-dir" -> aotDir = Path.of(args[++i]);
        case "--parallel" -> parallel = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i] + " (see --help)");
          System.exit(2);
        }
      }
    }
    if (dir == null) {
      Path base = Files.createDirectories(Path.of("target/reliability"));
      dir = Files.createTempDirectory(base.toAbsolutePath(), what + "-" + seed + "-");
    }
    Optional<Path> aot = noAot ? Optional.empty() : Aot.cacheFor(jar, aotDir != null ? aotDir : dir.getParent().resolve("aot"));
    long newFaults = 0;
    switch (what.toLowerCase(Locale.ROOT)) {
      case "crash" -> newFaults += CrashHarness.run(new CrashHarness.Options(seed, kills, dir, jar, aot)).unexpected().size();
      case "concurrency" -> newFaults += ConcurrencyHarness.run(new ConcurrencyHarness.Options(seed, workers, ops,
          round, dir, jar, aot)).unexpected().size();
      case "corpus" -> newFaults += corpus(seed, dir, jar, aot, ci, only, parallel);
      case "all" -> {
        newFaults += CrashHarness.run(new CrashHarness.Options(seed, kills, dir.resolve("crash"), jar, aot)).unexpected().size();
        newFaults += ConcurrencyHarness.run(new ConcurrencyHarness.Options(seed, workers, ops, round,
            dir.resolve("concurrency"), jar, aot)).unexpected().size();
        newFaults += corpus(seed, dir.resolve("corpus"), jar, aot, ci, only, parallel);
      }
      default -> {
        System.err.println("unknown harness " + what + " (crash, concurrency, corpus or all)");
        System.exit(2);
      }
    }
    System.out.println(newFaults == 0 ? "no new faults (seed " + seed + ")" : newFaults + " new fault(s) (seed " + seed + ")");
    System.exit(newFaults == 0 ? 0 : 1);
  }

  /** Runs the corpus; returns the number of cases that failed (pending rows as recorded do not). */
  private static long corpus(long seed, Path dir, Path jar, Optional<Path> aot, boolean ci, List<String> only,
      int parallel)
      throws Exception {
    ServerCorpus.Results r = ServerCorpus.run(new ServerCorpus.Options(seed, dir, jar, aot, ci, only, parallel,
        ci ? ServerCorpus.CI_LIMIT : ServerCorpus.FULL_LIMIT));
    return r.failures().size();
  }
}
