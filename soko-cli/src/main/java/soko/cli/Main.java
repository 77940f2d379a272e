package soko.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** Entry point of the {@code soko} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Fast path: building picocli's model of every command costs several times a JVM start.
      System.out.println(new VersionProvider().getVersion()[0]);
      System.exit(ExitCode.OK);
    }
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    SokoCommand root = new SokoCommand(out, err);
    CommandLine cl = new CommandLine(root);
    // Before the settings below: picocli applies them to the subcommands registered at that moment.
    for (Sub s : named(args).map(List::of).orElse(COMMANDS)) {
      cl.addSubcommand(s.type());
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, a) -> {
      String msg = ex.getMessage() + " (see `soko " + ex.getCommandLine().getCommandName().replace("soko", "").trim()
          + " --help`)";
      msg = msg.replace("`soko  --help`", "`soko --help`");
      if (root.global.json) {
        out.println(soko.app.Reports.errorJson(ex.getMessage(), ExitCode.USAGE, "usage"));
      } else {
        err.println("soko: " + msg.replace("`soko  ", "`soko "));
      }
      return ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> Errors.report(ex, root.global, out, err));
    return cl.execute(args);
  }

  /** A subcommand and every name it answers to (its {@code @Command} name and aliases). */
  record Sub(Class<?> type, List<String> names) {
    Sub {
      names = List.copyOf(names);
    }

    Sub(Class<?> type, String... names) {
      this(type, List.of(names));
    }
  }

  /** Every subcommand, in the order {@code soko --help} lists them. */
  static final List<Sub> COMMANDS = List.of(new Sub(ListCommand.class, "list", "ls"),
      new Sub(InstallCommand.class, "install"), new Sub(RemoveCommand.class, "rm", "remove"),
      new Sub(VerifyCommand.class, "verify"), new Sub(DiagnosticsCommand.class, "diagnostics", "diag"),
      new Sub(CacheCommand.class, "cache"), new Sub(GcCommand.class, "gc"), new Sub(DemoCommand.class, "demo"),
      new Sub(PullCommand.class, "pull"), new Sub(CatalogCommand.class, "catalog"),
      new Sub(KeygenCommand.class, "keygen"), new Sub(VadCommand.class, "vad"),
      new Sub(TranscribeCommand.class, "transcribe"), new Sub(TranslateCommand.class, "translate"),
      new Sub(ManifestCommand.class, "manifest"), new Sub(ServeCommand.class, "serve"),
      new Sub(PushCommand.class, "push"));

  /** The global options ({@link Global}) that take a value. */
  private static final List<String> VALUED = List.of("--home", "--library");

  /** The global options ({@link Global}) that take none. */
  private static final List<String> FLAGS = List.of("--json", "--verbose", "--offline");

  /**
   * The subcommand the command line names, found by skipping the global options before it; empty
   * for help, version, an unknown option before the name, an unknown name or none, where picocli
   * needs every command (to list them, or to suggest the closest name).
   */
  static Optional<Sub> named(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (VALUED.contains(a)) {
        i++;
      } else if (FLAGS.contains(a) || VALUED.stream().anyMatch(v -> a.startsWith(v + "="))) {
        continue;
      } else if (a.startsWith("-")) {
        return Optional.empty();
      } else {
        return COMMANDS.stream().filter(s -> s.names().contains(a)).findFirst();
      }
    }
    return Optional.empty();
  }
}
