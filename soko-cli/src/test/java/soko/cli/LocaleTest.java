package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments, paths and output are UTF-8 under LANG=C and LC_ALL=POSIX: in child JVMs started the
 * way ./soko starts them (bin/utf8-locale.sh, then java), with Japanese text, a Japanese home and a
 * Japanese file name.
 */
class LocaleTest {
  /** The repository's root: the module's parent folder (the tests run in soko-cli/). */
  static final Path REPO = Path.of("").toAbsolutePath().getParent();

  @TempDir
  Path dir;

  Path home;
  Path wav;

  @BeforeEach
  void installTheBundledModelsUnderAJapaneseHome() throws Exception {
    home = dir.resolve("倉庫 ホーム");
    for (String model : List.of("silero-vad", "demo-phrasebook")) {
      Cli.Result r = new Cli(home).run("install", model);
      assertThat(r.code()).as(r.toString()).isZero();
    }
    wav = dir.resolve("音声 ファイル.wav");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(DemoRun.WAV)) {
      Files.write(wav, in.readAllBytes());
    }
  }

  /** Environment variables that set a locale, all unset, then {@code locale}. */
  static Map<String, String> locale(String... settings) {
    Map<String, String> env = new HashMap<>();
    for (String v : List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_COLLATE", "LC_NUMERIC",
        "LC_TIME", "LC_MONETARY")) {
      env.put(v, null);
    }
    for (String s : settings) {
      env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    return env;
  }

  /** The launcher's locale step, then the JVM. */
  static List<String> launcher() {
    return List.of("bash", "-c", ". \"$0\"; soko_utf8_locale; exec \"$@\"", REPO.resolve("bin/utf8-locale.sh").toString());
  }

  Child.Result soko(Map<String, String> env, String... args) throws Exception {
    Child child = new Child(dir, env, List.of());
    String name = "run-" + System.nanoTime();
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return child.finish(child.start(launcher(), name, all), name);
  }

  @Test
  void japaneseArgumentsPathsAndOutputUnderLangC() throws Exception {
    checkJapanese(locale("LANG=C"));
  }

  @Test
  void japaneseArgumentsPathsAndOutputUnderLcAllPosix() throws Exception {
    checkJapanese(locale("LC_ALL=POSIX", "LANG=C"));
  }

  @Test
  void aUtf8LocaleWhoseDataIsMissingFallsBackToCUtf8() throws Exception {
    // glibc falls back to C (ASCII) for a locale it has no data for: bin/utf8-locale.sh notices.
    String missing = "xx_XX.UTF-8";
    checkJapanese(locale("LANG=" + missing));
  }

  void checkJapanese(Map<String, String> env) throws Exception {
    Child.Result translated = soko(env, "translate", "--from", "ja", "おはようございます");
    assertThat(translated.code()).as(translated.toString()).isZero();
    assertThat(translated.out()).isEqualTo("Good morning\n");
    Child.Result json = soko(env, "--json", "vad", wav.toString());
    assertThat(json.code()).as(json.toString()).isZero();
    assertThat(json.out()).contains("\"file\" : \"" + wav + "\""); // as UTF-8, not escaped
    assertThat(CliContractTest.JSON.readTree(json.out()).get("segments")).hasSize(1);
  }

  @Test
  void aJvmStartedInAnAsciiLocaleRefusesArgumentsItCouldNotReadInsteadOfUsingThem() throws Exception {
    Child child = new Child(dir, locale("LANG=C"), List.of());
    Child.Result r = child.run("--home", home.toString(), "translate", "--from", "ja", "おはようございます");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("soko: the command line has characters that the locale's character set (ANSI_X3.4-1968)"
        + " cannot carry; run soko in a UTF-8 locale, such as with LC_ALL=C.UTF-8 (the ./soko launcher sets it)\n");
  }

  @Test
  void theLauncherRunsTheLocaleStepBeforeStartingJava() throws Exception {
    String launcher = Files.readString(REPO.resolve("soko"));
    int step = launcher.indexOf("soko_utf8_locale");
    assertThat(step).as("./soko calls soko_utf8_locale").isPositive();
    assertThat(launcher.indexOf("exec \"$JAVA_HOME/bin/java\"")).isGreaterThan(step);
  }
}
