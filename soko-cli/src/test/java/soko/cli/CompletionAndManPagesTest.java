package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The completion scripts and manual pages the build writes under target/ (GenerateDocs, in
 * process-classes): what {@code soko completion} prints, completing in a real bash and zsh, and
 * pages that groff formats without a warning.
 */
class CompletionAndManPagesTest {
  static final Path TARGET = Path.of("target");

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " did not finish within 60 s");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static boolean installed(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  @Test
  void theBuildWroteTheScriptsThatSokoCompletionPrints() throws Exception {
    for (Map.Entry<String, String> e : Map.of("bash", "soko.bash", "zsh", "_soko").entrySet()) {
      Path file = TARGET.resolve("completion").resolve(e.getValue());
      assertThat(file).as("written by the build (process-classes)").isRegularFile();
      Cli.Result r = new Cli(dir).run("completion", e.getKey());
      assertThat(r.code()).isZero();
      assertThat(r.out()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
    Cli.Result fish = new Cli(dir).run("completion", "fish");
    assertThat(fish.code()).isEqualTo(ExitCode.USAGE);
    assertThat(fish.err()).contains("expected one of [bash, zsh]");
  }

  /** The words bash offers after {@code line} (the last word is the one being completed). */
  List<String> bash(String... words) throws Exception {
    Path script = dir.resolve("complete.bash");
    Files.writeString(script, """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _complete_soko soko 2>/dev/null
        printf '%s\\n' "${COMPREPLY[@]}"
        """);
    List<String> command = new ArrayList<>(List.of("bash", "--norc", script.toString(),
        TARGET.resolve("completion/soko.bash").toAbsolutePath().toString()));
    command.addAll(List.of(words));
    Run r = run(dir, command);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  @Test
  void bashCompletesCommandsSubcommandsOptionsAndValues() throws Exception {
    assertThat(bash("soko", "ca")).containsExactly("cache", "catalog");
    assertThat(bash("soko", "cache", "")).containsExactly("clear");
    assertThat(bash("soko", "cache", "clear", "--d")).containsExactly("--dry-run");
    assertThat(bash("soko", "translate", "--from", "")).containsExactly("ja", "ko");
    assertThat(bash("soko", "completion", "")).containsExactly("bash", "zsh");
    assertThat(bash("soko", "--js")).containsExactly("--json");
  }

  List<String> zsh(String line) throws Exception {
    Path capture = dir.resolve("zsh-complete.zsh");
    try (var in = getClass().getResourceAsStream("zsh-complete.zsh")) {
      Files.write(capture, in.readAllBytes());
    }
    Run r = run(dir, List.of("zsh", "-f", capture.toString(), TARGET.resolve("completion").toAbsolutePath().toString(), line));
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  @Test
  void zshCompletesCommandsSubcommandsOptionsAndValues() throws Exception {
    Assumptions.assumeTrue(installed("zsh"), "skipped: zsh is not installed (apt-get install zsh; bin/install-test-deps.sh does)");
    assertThat(zsh("soko ca")).containsExactly("cache", "catalog");
    assertThat(zsh("soko cache ")).containsExactly("clear");
    assertThat(zsh("soko cache clear --d")).containsExactly("--dry-run");
    assertThat(zsh("soko translate --from ")).containsExactly("ja", "ko");
    assertThat(zsh("soko --js")).containsExactly("--json");
  }

  @Test
  void everyCommandHasAManualPageThatGroffFormatsWithoutWarningsAndListsEveryOption() throws Exception {
    Assumptions.assumeTrue(installed("groff"), "skipped: groff is not installed (apt-get install groff-base)");
    List<String> expected = new ArrayList<>();
    for (List<String> path : HelpTest.paths()) {
      CommandSpec spec = HelpTest.spec(path);
      String page = ManPages.pageName(spec) + ".1";
      expected.add(page);
      Path file = TARGET.resolve("man").resolve(page);
      assertThat(file).as("written by the build").isRegularFile();
      Run r = run(dir, List.of("groff", "-k", "-man", "-Tutf8", "-ww", "-rLL=100n", file.toString()));
      assertThat(r.code()).isZero();
      assertThat(r.err()).as(page + " warnings").isEmpty();
      String text = r.out().replaceAll(".\b", ""); // bold and underline by overstriking
      assertThat(text).as(page).contains("NAME", "SYNOPSIS", "DESCRIPTION", spec.qualifiedName(" "));
      for (OptionSpec o : spec.options()) {
        for (String n : o.names()) {
          assertThat(text).as(page + " lists " + n).contains(n);
        }
      }
    }
    try (var files = Files.list(TARGET.resolve("man"))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void manualTextEscapesTroffAndSetsCodeInBold() {
    assertThat(ManPages.text("run `soko cache clear` -- see .profile")).isEqualTo(
        "run \\fBsoko cache clear\\fR \\-\\- see .profile");
    assertThat(ManPages.text(".starts with a dot")).isEqualTo("\\&.starts with a dot");
    assertThat(ManPages.text("a \\ b")).isEqualTo("a \\e b");
  }
}
