package soko.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import soko.app.Settings;
import soko.app.Soko;
import soko.store.StoreException;

@Command(name = "soko", versionProvider = VersionProvider.class,
    header = "Soko (倉庫): the local model manager and runtime.",
    description = "Installs, verifies and runs the speech and translation models of the app, on this computer.",
    footer = {"", "Run `soko help COMMAND` or `soko COMMAND --help` for the options of a command.",
        "Environment: SOKO_HOME, SOKO_LIBRARY and SOKO_OFFLINE as the options above; HOME, XDG_DATA_HOME and"
            + " XDG_CACHE_HOME choose the default folders; https_proxy, http_proxy, all_proxy and no_proxy (either"
            + " case) choose proxies; NO_COLOR turns colour off; COLUMNS sets the width of"
            + " the progress bar.",
        "Exit codes: 0 ok, 1 failure, 2 usage, 3 verification failed, 4 consent refused or offline,"
            + " 130 interrupted (Ctrl-C)."})
// The subcommands are registered by Main (Main.Table.COMMANDS), only the one named on the command line
// when it is known: building picocli's model of every command costs more than the JVM's start.
final class SokoCommand implements Runnable {
  @Mixin
  final Global global = new Global();

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;

  @Spec
  CommandSpec spec;

  final PrintWriter out;
  final PrintWriter err;
  private Soko soko;
  /** The computer to describe instead of probing it: tests only. */
  private final java.util.Optional<soko.inventory.Machine> machine;

  SokoCommand(PrintWriter out, PrintWriter err) {
    this(out, err, java.util.Optional.empty());
  }

  SokoCommand(PrintWriter out, PrintWriter err, java.util.Optional<soko.inventory.Machine> machine) {
    this.out = out;
    this.err = err;
    this.machine = machine;
  }

  /** {@code --connections} of pull and install, when given: set before {@link #soko()} is first called. */
  Integer connections;

  /** Opens Soko once, with settings resolved from flags and the environment. */
  Soko soko() throws StoreException {
    if (soko == null) {
      Settings s = Settings.resolve(System.getenv(), System.getProperties(), global.home(), global.library(),
          global.offline, global.caFiles);
      if (connections != null) {
        s = new Settings(s.roots(), s.offline(), s.origin(), s.network().withConnections(connections));
      }
      soko = machine.isPresent() ? Soko.open(s, java.time.Clock.systemUTC(), System.getProperties(), machine.get())
          : Soko.open(s);
    }
    return soko;
  }

  @Override
  public void run() {
    spec.commandLine().usage(out);
  }
}
