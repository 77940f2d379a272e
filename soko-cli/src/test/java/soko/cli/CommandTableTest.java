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
    for (Main.Sub s : Main.Table.COMMANDS) {
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
    assertThat(Main.named(new String[] {"help", "list"})).as("help shows another command's help").isEmpty();
    assertThat(Main.named(new String[] {"completion", "bash"})).as("completion covers every command").isEmpty();
  }

  @Test
  void helpListsEveryCommandAndAnUnknownNameIsAUsageError() {
    Cli cli = new Cli(home);
    Cli.Result help = cli.run("--help");
    for (Main.Sub s : Main.Table.COMMANDS) {
      assertThat(help.out()).contains("  " + s.names().getFirst());
    }
    Cli.Result typo = cli.run("verfy");
    assertThat(typo.code()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.err()).isEqualTo("soko: unknown command 'verfy'; did you mean `soko verify`? (see `soko --help`)\n");
  }

  @Test
  void listDiagnosticsAndVerifyRunWithoutPicocliAndPrintWhatPicocliWouldPrint() throws Exception {
    Cli cli = new Cli(home);
    assertThat(cli.run("demo").code()).isZero();
    for (String[] args : List.of(new String[] {"--home", home.toString(), "list", "--json"},
        new String[] {"--json", "ls", "--home=" + home}, new String[] {"--home", home.toString(), "list"},
        new String[] {"--home", home.toString(), "verify"}, new String[] {"--home", home.toString(), "verify", "silero-vad"})) {
      java.io.StringWriter plain = new java.io.StringWriter();
      java.io.StringWriter picocli = new java.io.StringWriter();
      assertThat(Main.runPlain(args, new java.io.PrintWriter(plain), new java.io.PrintWriter(plain))).contains(0);
      assertThat(Main.runPicocli(args, new java.io.PrintWriter(picocli), new java.io.PrintWriter(picocli))).isZero();
      assertThat(plain.toString()).contains("silero-vad").isEqualTo(picocli.toString());
    }
    for (String[] args : List.of(new String[] {"--home", home.toString(), "verify", "--full", "silero-vad", "--json"},
        new String[] {"--home", home.toString(), "verify", "silero-vad", "--full", "--json"})) {
      java.io.StringWriter plain = new java.io.StringWriter();
      assertThat(Main.runPlain(args, new java.io.PrintWriter(plain), new java.io.PrintWriter(plain))).contains(0);
      assertThat(CliContractTest.JSON.readTree(plain.toString()).get("models")).singleElement()
          .satisfies(m -> assertThat(m.get("name").asText()).isEqualTo("silero-vad"));
    }
    String[] missing = {"--home", home.toString(), "verify", "no-such-model"};
    java.io.StringWriter plainMissing = new java.io.StringWriter();
    java.io.StringWriter picocliMissing = new java.io.StringWriter();
    assertThat(Main.runPlain(missing, new java.io.PrintWriter(plainMissing), new java.io.PrintWriter(plainMissing)))
        .contains(Main.runPicocli(missing, new java.io.PrintWriter(picocliMissing), new java.io.PrintWriter(picocliMissing)));
    assertThat(plainMissing.toString()).contains("no-such-model").isEqualTo(picocliMissing.toString());
    java.nio.file.Path file = java.nio.file.Files.writeString(home.resolve("not-a-folder"), "x");
    String[] broken = {"--home", file.toString(), "diagnostics"};
    java.io.StringWriter plain = new java.io.StringWriter();
    java.io.StringWriter picocli = new java.io.StringWriter();
    int code = Main.runPlain(broken, new java.io.PrintWriter(plain), new java.io.PrintWriter(plain)).orElseThrow();
    assertThat(code).isNotZero().isEqualTo(Main.runPicocli(broken, new java.io.PrintWriter(picocli),
        new java.io.PrintWriter(picocli)));
    assertThat(plain.toString()).isNotEmpty().isEqualTo(picocli.toString());
  }

  @Test
  void anythingButListDiagnosticsOrVerifyWithTheirOptionsGoesToPicocli() {
    java.io.PrintWriter sink = new java.io.PrintWriter(new java.io.StringWriter());
    for (String[] args : List.of(new String[] {"list", "--bogus"}, new String[] {"list", "--help"},
        new String[] {"install", "x"}, new String[] {"--json", "--json", "list"},
        new String[] {"--full", "verify"}, new String[] {"verify", "a", "b"}, new String[] {"verify", "--full", "--full"},
        new String[] {"list", "--full"}, new String[] {"list", "extra"},
        new String[] {"--home"}, new String[] {"--json=true", "list"}, new String[] {})) {
      assertThat(Main.runPlain(args, sink, sink)).as(String.join(" ", args)).isEmpty();
    }
  }
}
