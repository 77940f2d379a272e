package soko.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * What the CLI knows about the terminal it talks to: whether there is one, whether it may use
 * colour, and how wide it is. Java has no call for a terminal's width, so it comes from {@code
 * COLUMNS} when that is exported, else from {@code stty size} (one short child process, run only on
 * a terminal); a resize is noticed through {@link Resize}.
 */
final class Terminal {
  /** The width assumed when none can be found (a pipe, Windows, no stty). */
  static final int DEFAULT_COLUMNS = 80;

  private Terminal() {}

  /** True when standard input and output are a terminal (a person is likely there). */
  static boolean interactive() {
    Console c = System.console();
    return c != null && c.isTerminal();
  }

  /**
   * Colour only on a terminal, never with {@code NO_COLOR} set to anything but the empty text
   * (no-color.org), and never on a {@code TERM=dumb} terminal.
   */
  static boolean colour(Map<String, String> env, boolean terminal) {
    String noColor = env.get("NO_COLOR");
    return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
  }

  /** True when the terminal understands cursor and erase sequences (everything but {@code TERM=dumb}). */
  static boolean ansi(Map<String, String> env) {
    return !"dumb".equals(env.get("TERM"));
  }

  /**
   * The terminal's width in columns: {@code COLUMNS} when set to a positive number, else, on a
   * terminal, what {@code stty size} reads from {@code /dev/tty}; empty when neither says.
   */
  static OptionalInt columns(Map<String, String> env, boolean terminal) {
    OptionalInt fromEnv = positive(env.get("COLUMNS"));
    if (fromEnv.isPresent() || !terminal) {
      return fromEnv;
    }
    return sttyColumns();
  }

  /**
   * The width tables must fit: this process's terminal when standard input and output are one, or
   * an exported {@code COLUMNS}; empty for a pipe, where a table keeps its full width.
   */
  static OptionalInt tableWidth() {
    return columns(System.getenv(), interactive());
  }

  /** {@code stty size} with the controlling terminal as input: "ROWS COLUMNS". Empty on any failure. */
  static OptionalInt sttyColumns() {
    File tty = new File("/dev/tty");
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") || !tty.exists()) {
      return OptionalInt.empty();
    }
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String text;
      try (InputStream in = p.getInputStream()) {
        text = new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim();
      }
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return OptionalInt.empty();
      }
      String[] parts = text.split("\\s+");
      return p.exitValue() == 0 && parts.length == 2 ? positive(parts[1]) : OptionalInt.empty();
    } catch (IOException e) {
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }

  private static OptionalInt positive(String s) {
    if (s == null || s.isBlank()) {
      return OptionalInt.empty();
    }
    try {
      int n = Integer.parseInt(s.trim());
      return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
