package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Every command explains itself: help on every node of the tree, summaries, usage errors that point somewhere. */
class HelpTest {
  @TempDir
  Path home;

  /** Every command of the tree, once, with the words that name it after {@code soko}. */
  static List<List<String>> paths() {
    List<List<String>> out = new ArrayList<>();
    walk(GenerateDocs.tree(), List.of(), out);
    return out;
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(path);
    List<CommandLine> seen = new ArrayList<>();
    cl.getSubcommands().forEach((name, sub) -> {
      if (!seen.contains(sub)) {
        seen.add(sub);
        List<String> p = new ArrayList<>(path);
        p.add(name);
        walk(sub, p, out);
      }
    });
  }

  static CommandSpec spec(List<String> path) {
    CommandLine at = GenerateDocs.tree();
    for (String word : path) {
      at = at.getSubcommands().get(word);
    }
    return at.getCommandSpec();
  }

  @Test
  void theTreeHasEveryCommandAndItsSubcommands() {
    List<String> names = paths().stream().map(p -> String.join(" ", p)).toList();
    assertThat(names).contains("", "list", "install", "cache", "cache clear", "catalog add", "catalog update",
        "catalog sign", "manifest create", "serve", "help", "completion");
    assertThat(names).contains("bundle export", "bundle import", "config set");
    // root, cache clear, catalog's 3, manifest create, bundle's 2, config's 4
    assertThat(names).hasSize(Main.Table.COMMANDS.size() + 1 + 1 + 3 + 1 + 2 + 4);
  }

  @Test
  void helpAndHOnEveryCommandExitZeroNameTheCommandAndListEveryOptionAndParameter() {
    Cli cli = new Cli(home);
    for (List<String> path : paths()) {
      CommandSpec spec = spec(path);
      String name = spec.qualifiedName(" ");
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(name + " " + flag + "\n" + r).isZero();
        assertThat(r.err()).as(name + " " + flag).isEmpty();
        assertThat(r.out()).as(name + " " + flag).contains("Usage: " + name + " ");
        for (OptionSpec o : spec.options()) {
          for (String n : o.names()) {
            assertThat(r.out()).as(name + " lists " + n).contains(n);
          }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
          assertThat(r.out()).as(name + " lists " + p.paramLabel()).contains(p.paramLabel());
        }
      }
    }
  }

  @Test
  void helpCommandShowsTheSameAsHelpOptionForEveryCommand() {
    Cli cli = new Cli(home);
    for (List<String> path : paths()) {
      List<String> help = new ArrayList<>(List.of("help"));
      help.addAll(path);
      List<String> option = new ArrayList<>(path);
      option.add("--help");
      Cli.Result viaCommand = cli.run(help.toArray(String[]::new));
      assertThat(viaCommand.code()).as(String.join(" ", help)).isZero();
      assertThat(viaCommand.out()).isEqualTo(cli.run(option.toArray(String[]::new)).out());
    }
  }

  @Test
  void everyCommandHasAOneSentenceSummaryAndEveryOptionAndParameterADescription() {
    for (List<String> path : paths()) {
      CommandSpec spec = spec(path);
      String name = spec.qualifiedName(" ");
      assertThat(spec.usageMessage().header()).as(name + " header").singleElement().asString()
          .endsWith(".").doesNotContain("%n");
      for (OptionSpec o : spec.options()) {
        assertThat(String.join(" ", o.description())).as(name + " " + o.longestName()).isNotBlank();
      }
      for (PositionalParamSpec p : spec.positionalParameters()) {
        assertThat(String.join(" ", p.description())).as(name + " " + p.paramLabel()).isNotBlank();
      }
    }
  }

  @Test
  void theCommandListShowsEachSummaryWhole() {
    String help = new Cli(home).run("--help").out().replaceAll("\\s+", " ");
    for (List<String> path : paths()) {
      if (path.size() == 1) {
        assertThat(help).as(path.getFirst()).contains(spec(path).usageMessage().header()[0]);
      }
    }
  }

  @Test
  void usageErrorsNameTheCommandPathAndSuggestTheClosestWords() {
    Cli cli = new Cli(home);
    Cli.Result option = cli.run("cache", "clear", "--dryrun");
    assertThat(option.code()).isEqualTo(ExitCode.USAGE);
    assertThat(option.err()).isEqualTo(
        "soko: unknown option '--dryrun'; did you mean --dry-run? (see `soko cache clear --help`)\n");
    Cli.Result sub = cli.run("cache", "clr");
    assertThat(sub.err()).isEqualTo(
        "soko: unknown command 'clr'; did you mean `soko cache clear`? (see `soko cache --help`)\n");
    Cli.Result command = cli.run("verfy");
    assertThat(command.err()).isEqualTo("soko: unknown command 'verfy'; did you mean `soko verify`? (see `soko --help`)\n");
    Cli.Result two = cli.run("trans", "x");
    assertThat(two.err()).startsWith("soko: unknown command 'trans'; did you mean `soko transcribe` or `soko translate`?");
    Cli.Result nothingClose = cli.run("xyzzy");
    assertThat(nothingClose.err()).isEqualTo("soko: unknown command 'xyzzy' (see `soko --help`)\n");
    Cli.Result missing = cli.run("catalog", "sign", "c.json");
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).startsWith("soko: missing required options: '--key=PRIVATE.key', '--out=SIGNED.json'")
        .endsWith("(see `soko catalog sign --help`)\n");
    Cli.Result extra = cli.run("install", "a", "b");
    assertThat(extra.err()).isEqualTo("soko: unexpected argument 'b' (see `soko install --help`)\n");
    Cli.Result helpTypo = cli.run("help", "cache", "claer");
    assertThat(helpTypo.code()).isEqualTo(ExitCode.USAGE);
    assertThat(helpTypo.err()).isEqualTo(
        "soko: unknown command 'claer'; did you mean `soko cache clear`? (see `soko cache --help`)\n");
  }

  @Test
  void usageErrorsAreJsonWithJson() throws Exception {
    Cli.Result r = new Cli(home).run("--json", "lsit");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    var error = CliContractTest.JSON.readTree(r.out()).get("error");
    assertThat(error.get("message").asText()).isEqualTo("unknown command 'lsit'; did you mean `soko list`?");
  }

  @Test
  void anEmptyHomeOrLibraryIsAUsageErrorNotTheWorkingDirectory() {
    for (String[] args : List.of(new String[] {"--home", "", "list"}, new String[] {"--home=", "diagnostics"},
        new String[] {"list", "--library", ""}, new String[] {"--home", " ", "install", "silero-vad"})) {
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      int code = Main.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
      assertThat(code).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
      assertThat(err.toString()).as(String.join(" ", args)).startsWith("soko: invalid value for option '--")
          .contains("an empty folder name; give a folder, such as ~/soko, or leave the option out");
      assertThat(out.toString()).isEmpty();
    }
  }

  @Test
  void suggestionsComeFromEditsPrefixesAndAbbreviations() {
    List<String> words = List.of("list", "ls", "install", "verify", "transcribe", "translate", "clear", "--json",
        "--dry-run");
    assertThat(Suggestions.closest("lsit", words)).containsExactly("list");
    assertThat(Suggestions.closest("instal", words)).containsExactly("install");
    assertThat(Suggestions.closest("--jsn", words)).containsExactly("--json");
    assertThat(Suggestions.closest("clr", words)).containsExactly("clear");
    assertThat(Suggestions.closest("trans", words)).containsExactly("transcribe", "translate");
    assertThat(Suggestions.closest("xyzzy", words)).isEmpty();
    assertThat(Suggestions.didYouMean(List.of("a", "b", "c"))).isEqualTo("did you mean a, b or c?");
  }
}
