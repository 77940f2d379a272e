package soko.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** The command line through picocli: every command, help and usage errors. */
final class PicocliRun {
  private PicocliRun() {}

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    SokoCommand root = new SokoCommand(out, err);
    CommandLine cl = new CommandLine(root);
    // Before the settings below: picocli applies them to the subcommands registered at that moment.
    for (Main.Sub s : Main.named(args).map(List::of).orElse(Main.Table.COMMANDS)) {
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
        err.println("soko: " + Display.safe(msg.replace("`soko  ", "`soko ")));
      }
      return ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> Errors.report(ex, root.global, out, err));
    return cl.execute(args);
  }
}
