package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI says when a person gets something slightly wrong. */
class WordingTest {
  @TempDir
  Path dir;

  @Test
  void removingAModelThatIsNotInstalledSaysSoAndSuggestsNoInstall() {
    Cli cli = new Cli(dir.resolve("home"));
    assertThat(cli.run("install", "silero-vad").code()).isZero();
    Cli.Result none = cli.run("rm", "nosuch");
    assertThat(none.code()).isEqualTo(ExitCode.FAILURE);
    assertThat(none.err()).isEqualTo("soko: nosuch is not installed, so there is nothing to remove"
        + " (`soko list` shows what is installed)\n");
    Cli.Result typo = cli.run("rm", "silero-vd");
    assertThat(typo.err()).isEqualTo("soko: silero-vd is not installed, so there is nothing to remove;"
        + " did you mean silero-vad? (`soko list` shows what is installed)\n");
  }

  @Test
  void keygenOverAnExistingKeyRefusesAndKeepsIt() throws Exception {
    Cli cli = new Cli(dir.resolve("home"));
    String prefix = dir.resolve("keys/team").toString();
    assertThat(cli.run("keygen", prefix).code()).isZero();
    byte[] key = Files.readAllBytes(Path.of(prefix + ".key"));
    byte[] pub = Files.readAllBytes(Path.of(prefix + ".pub.json"));
    Cli.Result again = cli.run("keygen", prefix);
    assertThat(again.code()).isEqualTo(ExitCode.FAILURE);
    assertThat(again.err()).isEqualTo("soko: " + prefix + ".key already exists; soko keygen never overwrites a key:"
        + " give another NAME, or move the old key files away first\n");
    Files.delete(Path.of(prefix + ".key"));
    Files.write(Path.of(prefix + ".key"), key);
    Files.delete(Path.of(prefix + ".pub.json"));
    Cli.Result privateOnly = cli.run("keygen", prefix);
    assertThat(privateOnly.err()).contains(prefix + ".key already exists");
    assertThat(Path.of(prefix + ".pub.json")).as("nothing written when refusing").doesNotExist();
    assertThat(Files.readAllBytes(Path.of(prefix + ".key"))).isEqualTo(key);
    assertThat(pub).isNotEmpty();
  }

  @Test
  void tablesSayLicenceLikeTheProse() {
    Cli cli = new Cli(dir.resolve("home"));
    assertThat(cli.run("install", "silero-vad").code()).isZero();
    assertThat(cli.run("list").out().lines().findFirst().orElseThrow()).contains("LICENCE").doesNotContain("LICENSE");
    assertThat(cli.run("verify").out().lines().findFirst().orElseThrow()).contains("LICENCE");
    assertThat(cli.run("catalog").out().lines().findFirst().orElseThrow()).contains("LICENCE");
  }
}
