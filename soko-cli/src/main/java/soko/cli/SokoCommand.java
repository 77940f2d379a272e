package soko.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import soko.app.Settings;
import soko.app.Soko;
import soko.store.StoreException;

@Command(name = "soko", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Soko (倉庫): the local model manager and runtime.%n"
        + "Exit codes: 0 ok, 1 failure, 2 usage, 3 verification failed, 4 consent refused or offline.")
// The subcommands are registered by Main (Main.Table.COMMANDS), only the one named on the command line
// when it is known: building picocli's model of every command costs more than the JVM's start.
final class SokoCommand implements Runnable {
  @Mixin
  final Global global = new Global();

  @Spec
  CommandSpec spec;

  final PrintWriter out;
  final PrintWriter err;
  private Soko soko;

  SokoCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** Opens Soko once, with settings resolved from flags and the environment. */
  Soko soko() throws StoreException {
    if (soko == null) {
      Settings s = Settings.resolve(System.getenv(), System.getProperties(), global.home(), global.library(),
          global.offline);
      soko = Soko.open(s);
    }
    return soko;
  }

  @Override
  public void run() {
    spec.commandLine().usage(out);
  }
}
