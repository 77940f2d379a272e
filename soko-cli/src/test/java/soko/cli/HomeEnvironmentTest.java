package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * $HOME and the XDG variables decide where Soko keeps things, in a fresh process: Java's
 * {@code user.home} comes from the password file, which is not the user's home under {@code sudo
 * -E}, in containers or for a uid without an entry. The child's {@code -Duser.home} stands in for
 * the password file's home, so a test can see that nothing is written there.
 */
class HomeEnvironmentTest {
  @TempDir
  Path dir;

  /** Where a run with the default settings would write in the real password-file home. */
  static final List<Path> REAL_DEFAULTS = List.of(Path.of(System.getProperty("user.home"), ".local/share/soko"),
      Path.of(System.getProperty("user.home"), ".cache/soko"), Path.of(System.getProperty("user.home"), "Soko Library"));

  Child child(Map<String, String> env, Path passwordHome) {
    return new Child(dir, env, List.of("-Duser.home=" + passwordHome));
  }

  static List<Path> contents(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(p -> !p.equals(folder)).toList();
    }
  }

  static Map<Path, Boolean> realDefaults() {
    Map<Path, Boolean> m = new HashMap<>();
    REAL_DEFAULTS.forEach(p -> m.put(p, Files.exists(p)));
    return m;
  }

  @Test
  void withHomeSetEveryCommandKeepsToItAndThePasswordFileHomeIsUntouched() throws Exception {
    Path home = Files.createDirectories(dir.resolve("x"));
    Path passwordHome = Files.createDirectories(dir.resolve("passwd-home"));
    Map<Path, Boolean> before = realDefaults();
    Child soko = child(Map.of("HOME", home.toString()), passwordHome);

    Child.Result demo = soko.run("demo");
    assertThat(demo.code()).as(demo.toString()).isZero();
    assertThat(demo.out()).contains("Soko demo: data in " + home.resolve(".local/share/soko"));
    Child.Result diagnostics = soko.run("diagnostics", "--json");
    assertThat(diagnostics.code()).as(diagnostics.toString()).isZero();
    JsonNode roots = CliContractTest.JSON.readTree(diagnostics.out()).get("roots");
    assertThat(roots.get("data").asText()).isEqualTo(home.resolve(".local/share/soko").toString());
    assertThat(roots.get("cache").asText()).isEqualTo(home.resolve(".cache/soko").toString());
    assertThat(roots.get("library").asText()).isEqualTo(home.resolve("Soko Library").toString());
    // demo installed, verified and ran the models (ONNX Runtime included); these clean up.
    for (String[] args : List.of(new String[] {"gc"}, new String[] {"cache", "clear"})) {
      Child.Result r = soko.run(args);
      assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
    }

    assertThat(contents(passwordHome)).as("nothing in the password file's home").isEmpty();
    assertThat(realDefaults()).as("nothing new in the real home either").isEqualTo(before);
    assertThat(home.resolve(".local/share/soko/soko-store.json")).isRegularFile();
  }

  @Test
  void xdgDataAndCacheHomeWinOverHome() throws Exception {
    Path home = Files.createDirectories(dir.resolve("x"));
    Path passwordHome = Files.createDirectories(dir.resolve("passwd-home"));
    Child soko = child(Map.of("HOME", home.toString(), "XDG_DATA_HOME", dir.resolve("xdg-data").toString(),
        "XDG_CACHE_HOME", dir.resolve("xdg-cache").toString()), passwordHome);
    Child.Result r = soko.run("install", "silero-vad");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode roots = CliContractTest.JSON.readTree(soko.run("diagnostics", "--json").out()).get("roots");
    assertThat(roots.get("data").asText()).isEqualTo(dir.resolve("xdg-data/soko").toString());
    assertThat(roots.get("cache").asText()).isEqualTo(dir.resolve("xdg-cache/soko").toString());
    assertThat(dir.resolve("xdg-data/soko/soko-store.json")).isRegularFile();
    assertThat(home.resolve(".local")).doesNotExist();
    assertThat(contents(passwordHome)).isEmpty();
  }

  @Test
  void withoutAUsableHomeThePasswordFileHomeIsTheFallback() throws Exception {
    Path passwordHome = Files.createDirectories(dir.resolve("passwd-home"));
    Map<String, String> unset = new HashMap<>();
    unset.put("HOME", null);
    for (Map<String, String> env : List.of(unset, Map.of("HOME", "relative/home"))) {
      Child.Result r = child(env, passwordHome).run("diagnostics", "--json");
      assertThat(r.code()).as(env + "\n" + r).isZero();
      JsonNode roots = CliContractTest.JSON.readTree(r.out()).get("roots");
      assertThat(roots.get("data").asText()).as(env.toString()).isEqualTo(passwordHome.resolve(".local/share/soko").toString());
    }
  }
}
