package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** Start-up registers only the subcommand named on the command line: the table must match the commands. */
class CommandTableTest {
  @TempDir
  Path home;

  @Test
  void everyCommandAnswersToExactlyTheNamesOfItsAnnotation() {
    for (Main.Sub s : Main.COMMANDS) {
      Command c = s.type().getAnnotation(Command.class);
      List<String> names = new ArrayList<>(List.of(c.name()));
      names.addAll(List.of(c.aliases()));
      assertThat(s.names()).as(s.type().getSimpleName()).isEqualTo(names);
    }
  }

  @Test
  void theCommandIsFoundAfterTheGlobalOptionsAndTheirValues() {
    assertThat(Main.named(new String[] {"--home", "list", "--json", "ls", "--x"})).map(Main.Sub::type)
        .contains(ListCommand.class);
    assertThat(Main.named(new String[] {"--home=/h", "--offline", "diag"})).map(Main.Sub::type)
        .contains(DiagnosticsCommand.class);
  }

  @Test
  void helpVersionUnknownOptionsAndUnknownNamesGetEveryCommand() {
    assertThat(Main.named(new String[] {"--help", "list"})).isEmpty();
    assertThat(Main.named(new String[] {"--bogus", "list"})).isEmpty();
    assertThat(Main.named(new String[] {"lsit"})).isEmpty();
    assertThat(Main.named(new String[] {})).isEmpty();
  }

  @Test
  void helpListsEveryCommandAndAnUnknownNameIsAUsageError() {
    Cli cli = new Cli(home);
    Cli.Result help = cli.run("--help");
    for (Main.Sub s : Main.COMMANDS) {
      assertThat(help.out()).contains("  " + s.names().getFirst());
    }
    Cli.Result typo = cli.run("verfy");
    assertThat(typo.code()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.err()).isEqualTo("soko: Unmatched argument at index 2: 'verfy' (see `soko --help`)\n");
  }
}
