package soko.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import soko.app.Failures;
import soko.Reason;
import soko.app.Reports;

/** Maps failures to one clear line (or a JSON error object) and the documented exit code. */
final class Errors {
  private Errors() {}

  /** The reason of {@code e} in the library's table; the CLI's own {@link InputException} is invalid input. */
  static Reason reason(Throwable e) {
    return e instanceof InputException ? Reason.INVALID_INPUT : Failures.reason(e);
  }

  static int exitCode(Throwable e) {
    return reason(e).exitCode();
  }

  static String type(Throwable e) {
    return reason(e).jsonType();
  }

  static int report(Throwable e, Global g, PrintWriter out, PrintWriter err) {
    return report(e, g, out, err, java.util.Optional.empty());
  }

  /**
   * {@link #report(Throwable, Global, PrintWriter, PrintWriter)} for a failed pull of an alias: with
   * {@code --json} the error carries the {@code recommendation} (what it would have installed, its
   * size and licence).
   */
  static int report(Throwable e, Global g, PrintWriter out, PrintWriter err, java.util.Optional<soko.app.AliasChoice> choice) {
    int code = exitCode(e);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (reason(e) == Reason.INTERNAL) {
      message = "internal error: " + e + " (please report it; run with --verbose for details)";
    }
    if (g.json) {
      out.println(choice.isPresent() ? Reports.errorJson(message, code, type(e), choice.get())
          : Reports.errorJson(message, code, type(e)));
    } else {
      // One line whatever the message holds: a line break in it is escaped, not cut, so the reason stays.
      err.println("soko: " + Display.safe(message));
    }
    if (g.verbose) {
      StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      // A trace quotes the messages too; each line is escaped, keeping the tab that indents a frame.
      sw.toString().lines().forEach(l -> err.println(l.startsWith("\t") ? "\t" + Display.safe(l.substring(1)) : Display.safe(l)));
    }
    err.flush();
    out.flush();
    return code;
  }
}
