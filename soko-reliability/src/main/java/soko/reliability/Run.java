package soko.reliability;

import java.time.Duration;
import java.util.List;

/**
 * What one {@code soko} child process did.
 *
 * @param args the command line after {@code soko} (global options included)
 * @param exit the exit status; for a killed process whatever the OS reported (137 for SIGKILL)
 * @param killed whether the harness killed it on purpose (a crash point)
 * @param hung whether it outlived its time limit and was killed for that
 * @param out everything it printed on stdout
 * @param err everything it printed on stderr
 * @param took from start to exit
 */
record Run(List<String> args, int exit, boolean killed, boolean hung, String out, String err, Duration took) {
  Run {
    args = List.copyOf(args);
  }

  /** Exited by itself with status 0. */
  boolean ok() {
    return !killed && !hung && exit == 0;
  }

  /** Exited by itself (not killed, not hung). */
  boolean finished() {
    return !killed && !hung;
  }

  /** The command as a user would type it, for reproducers. */
  String command() {
    return "soko " + String.join(" ", args.stream().map(Run::quote).toList());
  }

  /** The first line of stderr, or of stdout when stderr is empty. */
  String firstLine() {
    String s = err.isBlank() ? out : err;
    return s.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
  }

  /** One line for reports: the command, how it ended and what it said. */
  String summary() {
    String end = hung ? "hung (killed after " + took.toMillis() + " ms)"
        : killed ? "killed after " + took.toMillis() + " ms" : "exit " + exit;
    String line = firstLine();
    return command() + " → " + end + (line.isEmpty() ? "" : ": " + Text.clip(line, 300));
  }

  private static String quote(String a) {
    return a.matches("[\\w@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
  }
}
