package soko.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
}
