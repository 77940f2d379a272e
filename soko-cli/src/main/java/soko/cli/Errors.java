package soko.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import soko.app.AppException;
import soko.app.ConsentRequiredException;
import soko.app.Reports;
import soko.manifest.ManifestException;
import soko.runtime.EngineException;
import soko.store.ModelIntegrityException;
import soko.store.StoreException;
import soko.verification.IntegrityException;

/** Maps failures to one clear line (or a JSON error object) and the documented exit code. */
final class Errors {
  private Errors() {}

  static int exitCode(Throwable e) {
    if (e instanceof IntegrityException || e instanceof ModelIntegrityException) {
      return ExitCode.VERIFICATION;
    }
    if (e instanceof ConsentRequiredException) {
      return ExitCode.CONSENT;
    }
    if (e instanceof soko.acquisition.AcquisitionException a && a.wrongBytes()) {
      return ExitCode.VERIFICATION; // every source sent bytes that failed their size or sha256
    }
    if (e instanceof soko.app.RegistryException && e.getCause() instanceof soko.acquisition.oci.OciIntegrityException) {
      return ExitCode.VERIFICATION;
    }
    if (e instanceof EngineException && e.getCause() instanceof ModelIntegrityException) {
      return ExitCode.VERIFICATION;
    }
    return ExitCode.FAILURE;
  }

  static String type(Throwable e) {
    if (e instanceof IntegrityException || e instanceof ModelIntegrityException) {
      return "integrity";
    }
    if (e instanceof ConsentRequiredException) {
      return "consent";
    }
    if (e instanceof soko.acquisition.AcquisitionException a) {
      return a.wrongBytes() ? "integrity" : "download";
    }
    if (e instanceof soko.app.RegistryException) {
      return e.getCause() instanceof soko.acquisition.oci.OciIntegrityException ? "integrity" : "registry";
    }
    if (e instanceof ManifestException) {
      return "manifest";
    }
    if (e instanceof StoreException) {
      return "store";
    }
    if (e instanceof soko.catalog.CatalogException) {
      return "catalog";
    }
    if (e instanceof soko.bundle.BundleException) {
      return "bundle";
    }
    if (e instanceof AppException) {
      return "model";
    }
    if (e instanceof EngineException) {
      return "engine";
    }
    if (e instanceof InputException) {
      return "input";
    }
    if (e instanceof soko.app.InvalidSettingException) {
      return "settings";
    }
    return "internal";
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
    if (type(e).equals("internal")) {
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
