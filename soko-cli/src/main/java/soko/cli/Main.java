package soko.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Entry point of the {@code soko} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Fast path without picocli (its classes cannot be in the AOT cache), and a plain return:
      // System.exit starts the platform logger (Runtime.exit logging), about 10 ms.
      System.out.println(version());
      return;
    }
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Optional<String> unreadable = unreadableArguments(args, System.getProperty("sun.jnu.encoding", "UTF-8"));
    if (unreadable.isPresent()) {
      err.println("soko: " + unreadable.get());
      System.exit(ExitCode.USAGE);
    }
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Why the arguments cannot be trusted, when the JVM decoded them with a charset that could not
   * carry them: on Linux the locale decides it ({@code sun.jnu.encoding}, ASCII under LANG=C), and
   * what it cannot decode arrives as U+FFFD. Empty when they are fine. The {@code ./soko} launcher
   * runs the JVM in a UTF-8 locale; this catches a JVM started some other way.
   */
  static Optional<String> unreadableArguments(String[] args, String charset) {
    if (charset.equalsIgnoreCase("UTF-8") || charset.equalsIgnoreCase("UTF8")) {
      return Optional.empty();
    }
    for (String a : args) {
      if (a.indexOf('\uFFFD') >= 0) {
        return Optional.of("the command line has characters that the locale's character set (" + charset
            + ") cannot carry; run soko in a UTF-8 locale, such as with LC_ALL=C.UTF-8 (the ./soko launcher sets it)");
      }
    }
    return Optional.empty();
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Optional<Integer> plain = runPlain(args, out, err);
    return plain.isPresent() ? plain.get() : runPicocli(args, out, err);
  }

  /**
   * For tests: runs the command line (through picocli) on a computer described by {@code machine}
   * instead of the probed one, so that recommendations can be tested for any computer.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, soko.inventory.Machine machine) {
    return PicocliRun.run(args, out, err, Optional.of(machine));
  }

  /** Runs the command line through picocli (every command, help and usage errors). */
  static int runPicocli(String[] args, PrintWriter out, PrintWriter err) {
    // In its own class: Main must load and link without any picocli class (see main).
    return PicocliRun.run(args, out, err);
  }

  /** This build's version line, e.g. {@code soko 0.1.0}. */
  static String version() {
    String v = soko.JarVersion.of(Main.class).orElse(null);
    // String.concat, not '+': the first '+' of a process bootstraps StringConcatFactory (about 10 ms).
    return "soko ".concat(v == null ? "0.1.0-SNAPSHOT" : v);
  }


  /**
   * Runs {@code list} and {@code diagnostics}, which take no options of their own, and {@code verify
   * [--full] [NAME]} without picocli when the command line holds only that and global options, each
   * at most once: picocli's
   * classes cannot be in the AOT cache and cost more than the command itself. Empty for anything
   * else, which picocli then parses (and reports as a usage error when it is one).
   */
  static Optional<Integer> runPlain(String[] args, PrintWriter out, PrintWriter err) {
    SokoCommand root = new SokoCommand(out, err);
    Global g = root.global;
    java.util.Set<String> seen = new java.util.HashSet<>();
    String name = null;
    String model = null;
    boolean full = false;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String option = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        if (option.equals("--ca-file")) {
          return Optional.empty(); // repeatable, and checked by picocli's converter
        }
        if (VALUED.contains(option)) {
          String value;
          if (a.contains("=")) {
            value = a.substring(a.indexOf('=') + 1);
          } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
            value = args[++i];
          } else {
            return Optional.empty();
          }
          if (!seen.add(option) || value.isBlank()) { // picocli refuses an empty folder with a usage error
            return Optional.empty();
          }
          java.nio.file.Path p = java.nio.file.Path.of(value);
          if (option.equals("--home")) {
            g.home = p;
          } else {
            g.library = p;
          }
        } else if (FLAGS.contains(a) && seen.add(a)) {
          g.json |= a.equals("--json");
          g.verbose |= a.equals("--verbose");
          g.offline |= a.equals("--offline");
        } else if (name == null && !a.startsWith("-")) {
          name = a;
        } else if ("verify".equals(name) && a.equals("--full") && seen.add(a)) {
          full = true;
        } else if ("verify".equals(name) && model == null && !a.startsWith("-")) {
          model = a;
        } else {
          return Optional.empty();
        }
      }
    } catch (java.nio.file.InvalidPathException e) {
      return Optional.empty();
    }
    java.util.concurrent.Callable<Integer> command;
    if ("list".equals(name) || "ls".equals(name)) {
      ListCommand c = new ListCommand();
      c.root = root;
      command = c;
    } else if ("diagnostics".equals(name) || "diag".equals(name)) {
      DiagnosticsCommand c = new DiagnosticsCommand();
      c.root = root;
      command = c;
    } else if ("verify".equals(name)) {
      VerifyCommand c = new VerifyCommand();
      c.root = root;
      c.full = full;
      c.name = model;
      command = c;
    } else {
      return Optional.empty();
    }
    int code;
    try {
      code = command.call();
    } catch (Exception e) {
      code = Errors.report(e, root.global, out, err);
    }
    out.flush();
    return Optional.of(code);
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

  /**
   * Every subcommand, in the order {@code soko --help} lists them. In a class of its own so that
   * {@code soko --version} does not load the command classes (Main's initialisation would).
   */
  static final class Table {
    private Table() {}

    static final List<Sub> COMMANDS = List.of(new Sub(ListCommand.class, "list", "ls"),
        new Sub(InstallCommand.class, "install"), new Sub(RemoveCommand.class, "rm", "remove"),
        new Sub(VerifyCommand.class, "verify"), new Sub(ShowCommand.class, "show"),
        new Sub(ImportCommand.class, "import"), new Sub(DiagnosticsCommand.class, "diagnostics", "diag"),
        new Sub(CacheCommand.class, "cache"), new Sub(GcCommand.class, "gc"), new Sub(DemoCommand.class, "demo"),
        new Sub(PullCommand.class, "pull"), new Sub(CatalogCommand.class, "catalog"),
        new Sub(KeygenCommand.class, "keygen"), new Sub(VadCommand.class, "vad"),
        new Sub(TranscribeCommand.class, "transcribe"), new Sub(TranslateCommand.class, "translate"),
        new Sub(ManifestCommand.class, "manifest"), new Sub(ServeCommand.class, "serve"),
        new Sub(PushCommand.class, "push"), new Sub(BundleCommand.class, "bundle"), new Sub(HelpCommand.class, "help"),
        new Sub(CompletionCommand.class, "completion"), new Sub(ConfigCommand.class, "config"),
        new Sub(KeepCommand.class, "keep"), new Sub(PruneCommand.class, "prune"),
        new Sub(OutdatedCommand.class, "outdated"), new Sub(UpdateCommand.class, "update"),
        new Sub(RollbackCommand.class, "rollback"));

    /** The commands that read the whole tree (to show another command's help, or to complete any). */
    static final List<Class<?>> WHOLE_TREE = List.of(HelpCommand.class, CompletionCommand.class);
  }

  /** The global options ({@link Global}) that take a value. */
  private static final List<String> VALUED = List.of("--home", "--library", "--ca-file");

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
        return Table.COMMANDS.stream().filter(s -> s.names().contains(a))
            .filter(s -> !Table.WHOLE_TREE.contains(s.type())).findFirst();
      }
    }
    return Optional.empty();
  }
}
