package soko.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run from which {@code ./soko} builds the JDK's AOT cache ({@code -XX:AOTCacheOutput}):
 * runs the everyday read-only commands once in one JVM against an empty store under the given
 * folder, so their classes are loaded and linked ahead of time for every later run. Not a command.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: AotTraining SCRATCH_DIR (an empty folder for a throw-away store)");
      System.exit(ExitCode.USAGE);
    }
    Path home = Files.createDirectories(Path.of(args[0]));
    String h = home.toString();
    String[][] runs = {
        {"--help"}, {"--home", h, "list"}, {"--home", h, "list", "--json"}, {"--home", h, "verify", "--json"},
        {"--home", h, "diagnostics", "--json"}, {"--home", h, "diagnostics"}, {"--home", h, "list", "--no-such-flag"},
    };
    for (String[] run : runs) {
      StringWriter sink = new StringWriter();
      PrintWriter w = new PrintWriter(sink);
      Main.run(run, w, w);
      w.flush();
    }
    System.out.println(new VersionProvider().getVersion()[0]);
  }
}
