package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify --full --whole}: one stream per file against the manifest; {@code --whole} alone is a usage error. */
class VerifyWholeTest {
  @TempDir
  Path home;

  @Test
  void wholeGoesWithFullAndVerifiesTheModel() {
    Cli cli = new Cli(home);
    assertThat(cli.run("demo").code()).isZero();
    Cli.Result r = cli.run("verify", "--full", "--whole", "silero-vad");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("silero-vad");
  }

  @Test
  void wholeWithoutFullIsAUsageErrorThatSaysHow() {
    Cli.Result r = new Cli(home).run("verify", "--whole");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--whole goes with --full: soko verify --full --whole");
  }
}
