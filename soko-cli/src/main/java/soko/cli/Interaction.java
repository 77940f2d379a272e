package soko.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import soko.acquisition.DownloadCancelledException;
import soko.app.Consent;
import soko.app.DownloadPlan;
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
    return Terminal.interactive();
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
      err.println("  licence   " + Display.safe(plan.license().spdx()) + (plan.nonCommercial() ? ", NON-COMMERCIAL use only" : "")
          + " (" + Display.safe(plan.license().url()) + ")");
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
      // No progress in a pipe; notices (such as a foreign entry moved aside) still reach stderr.
      return event -> {
        if (event instanceof TransferEvent.Notice n) {
          synchronized (err) {
            err.println("soko: " + n.file() + ": " + n.message());
            err.flush();
          }
        }
      };
    }
    return new ThrottledListener(new Bar(err, System.getenv(), true), Duration.ofMillis(100), InstantSource.system());
  }

  /**
   * One install or pull as a person sees it: consent, progress, and Ctrl-C. While open, the first
   * Ctrl-C interrupts the thread that opened it (the downloader then keeps its partial files) and
   * a second one ends the process at once. Close it on the same thread.
   */
  static final class Download implements AutoCloseable {
    private final SokoCommand root;
    private final Consent consent;
    private final ProgressListener progress;
    private final Bar bar;
    private final Kept kept = new Kept();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final Thread worker = Thread.currentThread();
    private final Signals.Installed intHandler;
    private boolean closed;
    /** Set once the download is approved: from then on Ctrl-C cancels it and keeps what it has. */
    private volatile boolean downloading;

    Download(SokoCommand root, boolean yes) {
      this(root, yes, java.util.Set.of());
    }

    /** @param licenses the licences accepted by name ({@code --accept-license}), for non-commercial models */
    Download(SokoCommand root, boolean yes, java.util.Set<String> licenses) {
      this.root = root;
      Consent asked = Interaction.consent(yes, root.err);
      // REFUSE as itself: the registry pull knows it and then reads nothing at all.
      Consent counted = asked == Consent.REFUSE ? asked : plan -> {
        kept.plan.set(plan);
        boolean approved = asked.approve(plan);
        downloading = approved;
        return approved;
      };
      this.consent = licenses.isEmpty() ? counted : counted.acceptingLicenses(licenses);
      ProgressListener shown;
      if (root.global.json) {
        bar = null;
        shown = Interaction.progress(true, root.out, root.err);
      } else if (terminal()) {
        bar = new Bar(root.err, System.getenv(), true);
        shown = new ThrottledListener(bar, Duration.ofMillis(100), InstantSource.system());
      } else {
        bar = null;
        shown = ProgressListener.NONE;
      }
      this.progress = event -> {
        kept.on(event);
        shown.on(event);
      };
      this.intHandler = Signals.handle("INT", () -> {
        if (!downloading) {
          // At the consent question, or before it: nothing to keep, and a read of the terminal
          // cannot be interrupted. What Ctrl-C does without this handler: exit, running the hooks.
          root.err.println();
          root.err.flush();
          System.exit(ExitCode.INTERRUPTED);
        }
        if (interrupted.getAndSet(true)) {
          Runtime.getRuntime().halt(ExitCode.INTERRUPTED); // a second Ctrl-C: no more waiting
        }
        if (bar != null) {
          bar.interrupted = true;
        }
        worker.interrupt();
      });
    }

    Consent consent() {
      return consent;
    }

    ProgressListener progress() {
      return progress;
    }

    /**
     * After {@code failure}: when Ctrl-C caused it, prints one line on a fresh line (what was kept
     * and how to resume) and returns {@link ExitCode#INTERRUPTED}; otherwise throws it on.
     */
    int failed(Exception failure) throws Exception {
      if (!interrupted.get()) {
        throw failure;
      }
      Thread.interrupted(); // the downloader sets it again; printing must not be disturbed by it
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof DownloadCancelledException c) {
          kept.exact(c.file(), c.bytesKept()); // what the downloader saved, past the last event shown
        }
      }
      String message = "interrupted: " + kept.describe() + "; run the same command to resume";
      if (root.global.json) {
        root.out.println(Reports.errorJson(message, ExitCode.INTERRUPTED, "interrupted"));
        root.out.flush();
      } else {
        if (bar != null) {
          bar.endLine();
        }
        root.err.println(message);
        root.err.flush();
      }
      return ExitCode.INTERRUPTED;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      intHandler.restore();
      if (bar != null) {
        bar.close();
      }
    }
  }

  /** What the downloads of one plan have on disk, from every event (not only the ones shown). */
  static final class Kept implements ProgressListener {
    final AtomicReference<DownloadPlan> plan = new AtomicReference<>();
    private final Map<String, long[]> files = new ConcurrentHashMap<>(); // file -> {bytes, total}

    @Override
    public void on(TransferEvent e) {
      switch (e) {
        case TransferEvent.Started s -> files.put(s.file(), new long[] {s.resumedFrom(), s.totalBytes()});
        case TransferEvent.Progress p -> files.put(p.file(), new long[] {p.bytesDone(), p.totalBytes()});
        case TransferEvent.Verifying v -> files.merge(v.file(), new long[] {v.bytes(), v.bytes()},
            (old, now) -> new long[] {now[0], old[1]});
        case TransferEvent.Done d -> files.put(d.file(), new long[] {d.size(), d.size()});
        case TransferEvent.Retrying r -> { }
        case TransferEvent.Failed f -> { }
        case TransferEvent.Notice n -> { }
      }
    }

    void exact(String file, long bytes) {
      files.merge(file, new long[] {bytes, bytes}, (old, now) -> new long[] {now[0], Math.max(old[1], now[0])});
    }

    /** "143 MiB of 286 MiB kept": of the plan's files when there was one, else of the files seen. */
    String describe() {
      long have = 0;
      long total = 0;
      DownloadPlan p = plan.get();
      if (p != null) {
        for (DownloadPlan.PlannedFile f : p.files()) {
          long[] seen = files.get(f.file().path().value());
          have += Math.max(f.partialBytes(), seen == null ? 0 : Math.min(seen[0], f.file().size()));
          total += f.file().size();
        }
      } else {
        for (long[] f : files.values()) {
          have += f[0];
          total += Math.max(f[0], f[1]);
        }
      }
      return Format.bytes(have) + " of " + Format.bytes(total) + " kept";
    }
  }

  /**
   * A one-line bar per file on the terminal, redrawn in place, never wider than the terminal (a
   * wrapped line could not be redrawn: a 40-column terminal would fill with copies), and drawn
   * again at the new width when the terminal is resized (SIGWINCH).
   */
  static final class Bar implements ProgressListener {
    private final PrintWriter err;
    private final Map<String, String> env;
    private final boolean colour;
    private final boolean ansi;
    private volatile int width;
    private final Signals.Installed winch;
    /** Set on Ctrl-C: the cancelled downloads' failures are not news. */
    volatile boolean interrupted;
    /** The line on screen, to draw again after a resize; null when the cursor is at a line's start. */
    private String[] shown;

    Bar(PrintWriter err, Map<String, String> env, boolean terminal) {
      this.err = err;
      this.env = env;
      this.colour = Terminal.colour(env, terminal);
      this.ansi = Terminal.ansi(env);
      this.width = Terminal.columns(env, terminal).orElse(Terminal.DEFAULT_COLUMNS);
      this.winch = Signals.handle("WINCH", this::resized); // NONE on Windows
    }

    /** For tests: a fixed width, no terminal. */
    Bar(PrintWriter err, int width, boolean colour) {
      this.err = err;
      this.env = Map.of();
      this.colour = colour;
      this.ansi = true;
      this.width = width;
      this.winch = Signals.NONE;
    }

    private void resized() {
      width = Terminal.columns(env, true).orElse(width);
      synchronized (this) {
        if (shown != null) {
          draw(shown[0], Long.parseLong(shown[1]), Long.parseLong(shown[2]), shown[3]);
          err.flush();
        }
      }
    }

    @Override
    public synchronized void on(TransferEvent e) {
      switch (e) {
        case TransferEvent.Started s -> draw(s.file(), s.resumedFrom(), s.totalBytes(), "from " + Display.safe(s.host())
            + (s.resumedFrom() > 0 ? ", resuming at " + Format.bytes(s.resumedFrom()) : ""));
        case TransferEvent.Progress p -> draw(p.file(), p.bytesDone(), p.totalBytes(),
            Format.bytes(p.bytesPerSecond()) + "/s" + p.eta().map(t -> ", " + Format.eta(t) + " left").orElse(""));
        case TransferEvent.Verifying v -> draw(v.file(), v.bytes(), v.bytes(), "checking kept bytes");
        case TransferEvent.Retrying r -> {
          clear();
          err.println(Display.safe(r.file()) + ": " + Display.safe(r.reason()) + "; retry " + r.attempt() + " in " + Format.eta(r.delay()));
        }
        case TransferEvent.Done d -> {
          draw(d.file(), d.size(), d.size(), "verified");
          endLine();
        }
        case TransferEvent.Failed f -> {
          if (interrupted) {
            endLine(); // the command says what was kept, in one line of its own
          } else {
            clear();
            err.println(Display.safe(f.file()) + ": failed: " + Display.safe(f.reason()));
          }
        }
        case TransferEvent.Notice n -> {
          clear();
          err.println(Display.safe(n.file()) + ": " + Display.safe(n.message()));
        }
      }
      err.flush();
    }

    private void draw(String file, long done, long total, String note) {
      shown = new String[] {file, Long.toString(done), Long.toString(total), note};
      String line = render(Display.safe(file), done, total, note, width, colour);
      err.print(ansi ? "\r\033[K" + line : "\r" + line + " ".repeat(Math.max(0, width - RESERVED - Format.width(strip(line)))));
    }

    private void clear() {
      if (shown != null) {
        err.print(ansi ? "\r\033[K" : "\r" + " ".repeat(Math.max(0, width - 1)) + "\r");
        shown = null;
      }
    }

    /** Ends the line on screen, if any, so that what follows starts on a fresh line. */
    synchronized void endLine() {
      if (shown != null) {
        err.println();
        shown = null;
      }
      err.flush();
    }

    void close() {
      endLine();
      winch.restore();
    }
  }

  private static final String GREEN = "\033[32m";
  private static final String RESET = "\033[0m";
  /** The bar is at most this wide (between its brackets), and is dropped below {@link #MIN_BAR}. */
  static final int MAX_BAR = 30;
  static final int MIN_BAR = 5;
  /** Columns a progress line leaves free at the right: one against wrapping, two for "^C". */
  static final int RESERVED = 3;

  /**
   * One line of progress, at most {@code columns - 3} wide (the last column would make some
   * terminals wrap, and the terminal's echo of Ctrl-C, "^C", needs two more): {@code file [####
   * ] 45% 12.0 MiB/286 MiB 5.1 MiB/s, 3m 10s left}. What does not fit goes, in this order: the
   * note, the sizes, the bar; then the file name is shortened.
   */
  static String render(String file, long done, long total, String note, int columns, boolean colour) {
    int room = Math.max(1, columns - RESERVED);
    int pct = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    String percent = pct + "%";
    String sizes = Format.bytes(done) + "/" + Format.bytes(total);
    List<List<String>> layouts = List.of(List.of(percent, sizes, note), List.of(percent, sizes), List.of(percent));
    for (List<String> tail : layouts) {
      String rest = String.join(" ", tail);
      int bar = room - Format.width(file) - 4 - Format.width(rest); // "file [" + bar + "] " + rest
      if (bar >= MIN_BAR) {
        return file + " [" + bar(Math.min(bar, MAX_BAR), done, total, colour) + "] " + rest;
      }
    }
    // Not even the shortest layout fits with the whole name: shorten the name, keep a small bar.
    int nameRoom = room - 4 - MIN_BAR - Format.width(percent);
    if (nameRoom >= 4) {
      return shorten(file, nameRoom) + " [" + bar(MIN_BAR, done, total, colour) + "] " + percent;
    }
    return shorten(file + " " + percent, room);
  }

  private static String bar(int width, long done, long total, boolean colour) {
    int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
    String hashes = "#".repeat(filled);
    return (colour && filled > 0 ? GREEN + hashes + RESET : hashes) + " ".repeat(width - filled);
  }

  /** The start of {@code s} and "…", at most {@code columns} wide. */
  static String shorten(String s, int columns) {
    if (Format.width(s) <= columns) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      String next = new String(Character.toChars(cp));
      if (Format.width(sb + next) + 1 > columns) {
        break;
      }
      sb.append(next);
      i += Character.charCount(cp);
    }
    return sb + "…";
  }

  /** The text without colour sequences. */
  static String strip(String s) {
    return s.replace(GREEN, "").replace(RESET, "");
  }
}
