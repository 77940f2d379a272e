package soko.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The command line through picocli: every command, help and usage errors. */
final class PicocliRun {
  /** picocli refuses a narrower usage help. */
  private static final int MIN_HELP_WIDTH = 55;
  private static final int MAX_HELP_WIDTH = 120;

  private PicocliRun() {}

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, java.util.Optional.empty());
  }

  /** @param machine the computer to describe instead of probing it (tests) */
  static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Optional<soko.inventory.Machine> machine) {
    SokoCommand root = new SokoCommand(out, err, machine);
    // Only the subcommand the command line names, when it is known: building picocli's model of
    // every command costs more than the JVM's start. Help, completion, unknown names: all of them.
    CommandLine cl = commandLine(root, Main.named(args).map(List::of).orElse(Main.Table.COMMANDS));
    if (helpWanted(args)) {
      // Only for help: the width costs a child process (stty) on a terminal.
      Map<String, String> env = System.getenv();
      boolean terminal = Terminal.interactive();
      cl.setColorScheme(Help.defaultColorScheme(Terminal.colour(env, terminal) ? Help.Ansi.ON : Help.Ansi.OFF));
      Terminal.columns(env, terminal)
          .ifPresent(c -> cl.setUsageHelpWidth(Math.clamp(c - 1, MIN_HELP_WIDTH, MAX_HELP_WIDTH)));
    }
    return cl.execute(args);
  }

  private static boolean helpWanted(String[] args) {
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("help")) {
        return true;
      }
    }
    return args.length == 0;
  }

  /** Every command, configured as for a run: for help, completion scripts and man pages. */
  static CommandLine tree(PrintWriter out, PrintWriter err) {
    return commandLine(new SokoCommand(out, err), Main.Table.COMMANDS);
  }

  private static CommandLine commandLine(SokoCommand root, List<Main.Sub> subcommands) {
    CommandLine cl = new CommandLine(root);
    // Before the settings below: picocli applies them to the subcommands registered at that moment.
    for (Main.Sub s : subcommands) {
      cl.addSubcommand(s.type());
    }
    PrintWriter out = root.out;
    PrintWriter err = root.err;
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // Colour in usage help only on a terminal and without NO_COLOR (see run); picocli's own
    // detection for anything else, which agrees.
    cl.setParameterExceptionHandler((ex, a) -> {
      String message = usageError(ex);
      if (root.global.json) {
        out.println(soko.app.Reports.errorJson(message, ExitCode.USAGE, "usage"));
      } else {
        err.println("soko: " + Display.safe(message) + " (see `" + path(ex.getCommandLine()) + " --help`)");
      }
      out.flush();
      err.flush();
      return ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> Errors.report(ex, root.global, out, err));
    return cl;
  }

  /** The command's path as a person types it, such as {@code soko cache clear}. */
  static String path(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  /**
   * One line saying what is wrong, with "did you mean" for an unknown command or option. picocli's
   * own messages count the global options in argument indexes and suggest any command at all.
   */
  static String usageError(ParameterException ex) {
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      List<String> unmatched = u.getUnmatched();
      String first = unmatched.getFirst();
      if (u.isUnknownOption()) {
        List<String> names = new ArrayList<>(spec.optionsMap().keySet());
        return "unknown option '" + first + "'" + suffix(Suggestions.closest(option(first), names));
      }
      if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
        String at = path(ex.getCommandLine());
        List<String> names = spec.subcommands().entrySet().stream()
            .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()).map(Map.Entry::getKey).toList();
        return "unknown command '" + first + "'"
            + suffix(Suggestions.closest(first, names).stream().map(s -> "`" + at + " " + s + "`").toList());
      }
      return "unexpected argument" + (unmatched.size() == 1 ? "" : "s") + " "
          + String.join(", ", unmatched.stream().map(s -> "'" + s + "'").toList());
    }
    String m = ex.getMessage();
    // picocli's messages start with a capital; Soko's one-line errors do not.
    return m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))
        ? Character.toLowerCase(m.charAt(0)) + m.substring(1) : m;
  }

  /** The option name of {@code --name=value}. */
  private static String option(String arg) {
    int eq = arg.indexOf('=');
    return eq > 0 ? arg.substring(0, eq) : arg;
  }

  private static String suffix(List<String> suggestions) {
    return suggestions.isEmpty() ? "" : "; " + Suggestions.didYouMean(suggestions);
  }
}
