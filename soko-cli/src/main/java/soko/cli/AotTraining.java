package soko.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run from which {@code ./soko} builds the JDK's AOT cache ({@code -XX:AOTCacheOutput}):
 * runs the everyday read-only commands once in one JVM against an empty store under the given
 * folder, so their classes are loaded and linked ahead of time for every later run. Not a command.
 */
public final class AotTraining {
  private AotTraining() {}

  private static final int TRAINING_ROUNDS = 20;

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: AotTraining SCRATCH_DIR (an empty folder for a throw-away store)");
      System.exit(ExitCode.USAGE);
    }
    Path home = Files.createDirectories(Path.of(args[0]));
    String h = home.toString();
    String[][] once = {
        {"--help"}, {"--home", h, "list"}, {"--home", h, "list", "--json"}, {"--home", h, "verify", "--json"},
        {"--home", h, "diagnostics", "--json"}, {"--home", h, "diagnostics"}, {"--home", h, "list", "--no-such-flag"},
        {"--home", h, "demo"},
    };
    // With the bundled models installed (offline copies, 2.4 MB), the reading, checking, hashing and
    // JSON-writing code runs too: its classes go into the cache with the method profiles of
    // these rounds (JDK 25, JEP 515), so a real store's list or verify warms up sooner.
    String[][] repeated = {
        {"--home", h, "list", "--json"}, {"--home", h, "list"}, {"--home", h, "verify", "--json"},
        {"--home", h, "verify", "--full", "--json"}, {"--home", h, "diagnostics", "--json"},
    };
    List<String[]> runs = new ArrayList<>(List.of(once));
    for (int round = 0; round < TRAINING_ROUNDS; round++) {
      runs.addAll(List.of(repeated));
    }
    for (int i = 0; i < runs.size(); i++) {
      if (i == once.length) {
        settle(home);
      }
      StringWriter sink = new StringWriter();
      PrintWriter w = new PrintWriter(sink);
      Main.run(runs.get(i), w, w);
      w.flush();
    }
    System.out.println(Main.version());
  }

  /**
   * Sets the training store's refs and manifests an hour back, as on a real store where they were
   * written long ago: the store's installed index vouches only for settled files, so the repeated
   * rounds then list through the index, and its reading code is trained too.
   */
  private static void settle(Path home) throws java.io.IOException {
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minusSeconds(3600));
    for (String folder : List.of("refs", "manifests")) {
      Path top = home.resolve("data").resolve(folder);
      if (!Files.isDirectory(top)) {
        continue;
      }
      try (java.util.stream.Stream<Path> s = Files.walk(top)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          Files.setLastModifiedTime(p, old);
        }
      }
    }
  }
}
