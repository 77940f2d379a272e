package soko.cli;

/** The documented exit codes. */
final class ExitCode {
  static final int OK = 0;
  /** Anything that failed, including an invalid manifest or configuration. */
  static final int FAILURE = 1;
  /** Wrong command-line syntax only. */
  static final int USAGE = 2;
  /** A size or sha256 did not match. */
  static final int VERIFICATION = 3;
  /** Consent refused or not obtainable, or offline when a download was needed. */
  static final int CONSENT = 4;
  /** Interrupted with Ctrl-C (128 + SIGINT, as a shell reports a process ended by the signal). */
  static final int INTERRUPTED = 130;

  private ExitCode() {}
}
