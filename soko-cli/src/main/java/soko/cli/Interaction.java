package soko.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import soko.app.Consent;
import soko.app.Reports;
import soko.events.ProgressListener;
import soko.events.ThrottledListener;
import soko.events.TransferEvent;

/**
 * How the CLI talks to a person: consent on a terminal, a live progress bar on a terminal, one
 * JSON line per event with {@code --json}, and nothing but the result in a pipe.
 */
final class Interaction {
  private Interaction() {}

  static boolean terminal() {
    Console c = System.console();
    return c != null && c.isTerminal();
  }

  /**
   * {@code --yes} approves in advance; on a terminal the person is asked; otherwise consent is
   * refused (exit 4) before any network request.
   */
  static Consent consent(boolean yes, PrintWriter err) {
    if (yes) {
      return Consent.APPROVE;
    }
    if (!terminal()) {
      return Consent.REFUSE;
    }
    return plan -> {
      // Everything but the sizes comes from a manifest or catalog: escaped, so that no text can
      // overwrite or hide the line that names the hosts.
      err.println("Soko wants to download " + Display.safe(plan.manifest().id()) + ":");
      err.println("  download  " + Format.bytes(plan.bytesToDownload())
          + (plan.bytesAlreadyPresent() > 0 ? " (" + Format.bytes(plan.bytesAlreadyPresent()) + " already downloaded)" : ""));
      err.println("  from      " + Display.safe(String.join(", ", plan.hosts())));
      err.println("  free      " + Format.bytes(Math.max(0, plan.freeAfter())) + " left afterwards");
      err.println("  licence   " + Display.safe(plan.license().spdx()) + " (" + Display.safe(plan.license().url()) + ")");
      if (!plan.license().attribution().isBlank()) {
        err.println("            " + Display.safe(plan.license().attribution()));
      }
      err.print("Download? [y/N] ");
      err.flush();
      try {
        BufferedReader in = new BufferedReader(System.console().reader());
        String answer = in.readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
      } catch (java.io.IOException e) {
        return false;
      }
    };
  }

  static ProgressListener progress(boolean json, PrintWriter out, PrintWriter err) {
    if (json) {
      return event -> {
        synchronized (out) {
          out.println(Reports.eventJson(event));
          out.flush();
        }
      };
    }
    if (!terminal()) {
      return ProgressListener.NONE;
    }
    return new ThrottledListener(new Bar(err), Duration.ofMillis(100), InstantSource.system());
  }

  /** A one-line bar per file on the terminal. */
  private static final class Bar implements ProgressListener {
    private final PrintWriter err;

    Bar(PrintWriter err) {
      this.err = err;
    }

    @Override
    public synchronized void on(TransferEvent e) {
      switch (e) {
        case TransferEvent.Started s -> line(s.file(), s.resumedFrom(), s.totalBytes(), "from " + Display.safe(s.host())
            + (s.resumedFrom() > 0 ? ", resuming at " + Format.bytes(s.resumedFrom()) : ""));
        case TransferEvent.Progress p -> line(p.file(), p.bytesDone(), p.totalBytes(),
            Format.bytes(p.bytesPerSecond()) + "/s" + p.eta().map(t -> ", " + t.toSeconds() + " s left").orElse(""));
        case TransferEvent.Verifying v -> line(v.file(), v.bytes(), v.bytes(), "checking kept bytes");
        case TransferEvent.Retrying r -> {
          err.print("\r\033[K");
          err.println(Display.safe(r.file()) + ": " + Display.safe(r.reason()) + "; retry " + r.attempt() + " in "
              + r.delay().toSeconds() + " s");
        }
        case TransferEvent.Done d -> {
          line(d.file(), d.size(), d.size(), "verified");
          err.println();
        }
        case TransferEvent.Failed f -> {
          err.print("\r\033[K");
          err.println(Display.safe(f.file()) + ": failed: " + Display.safe(f.reason()));
        }
      }
      err.flush();
    }

    private void line(String file, long done, long total, String note) {
      int width = 30;
      int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
      int pct = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
      err.print("\r\033[K" + Display.safe(file) + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + pct + "% "
          + Format.bytes(done) + "/" + Format.bytes(total) + " " + note);
    }
  }
}
