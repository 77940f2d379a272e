package soko.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import soko.store.StoreRoots;

/** $HOME and the XDG variables decide the default folders; the password file's home is the fallback. */
class SettingsHomeTest {
  static Properties os(String name, String userHome) {
    Properties p = new Properties();
    p.setProperty("os.name", name);
    p.setProperty("user.home", userHome);
    return p;
  }

  static Settings resolve(Map<String, String> env, Properties props) {
    return Settings.resolve(env, props, Optional.empty(), Optional.empty(), false);
  }

  @Test
  void homeDecidesEveryLinuxDefaultOverThePasswordFile() {
    Settings s = resolve(Map.of("HOME", "/tmp/x"), os("Linux", "/root"));
    assertThat(s.roots()).isEqualTo(new StoreRoots(Path.of("/tmp/x/.local/share/soko"), Path.of("/tmp/x/.cache/soko"),
        Path.of("/tmp/x/Soko Library")));
  }

  @Test
  void xdgVariablesWinOverHome() {
    Settings s = resolve(Map.of("HOME", "/tmp/x", "XDG_DATA_HOME", "/d", "XDG_CACHE_HOME", "/c"), os("Linux", "/root"));
    assertThat(s.roots().data()).isEqualTo(Path.of("/d/soko"));
    assertThat(s.roots().cache()).isEqualTo(Path.of("/c/soko"));
    assertThat(s.roots().library()).isEqualTo(Path.of("/tmp/x/Soko Library"));
  }

  @Test
  void homeDecidesTheMacOsDefaultsToo() {
    Settings s = resolve(Map.of("HOME", "/Users/other"), os("Mac OS X", "/Users/u"));
    assertThat(s.roots().data()).isEqualTo(Path.of("/Users/other/Library/Application Support/soko"));
  }

  @Test
  void thePasswordFileHomeIsTheFallbackWhenHomeIsUnsetEmptyOrRelative() {
    for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("HOME", ""), Map.of("HOME", "relative/home"),
        Map.of("HOME", " "))) {
      assertThat(Settings.userHome(env, os("Linux", "/home/u"))).as(env.toString()).isEqualTo(Path.of("/home/u"));
    }
  }

  @Test
  void windowsIgnoresHome() {
    assertThat(Settings.userHome(Map.of("HOME", "/c/msys/home/u"), os("Windows 11", "C:/Users/u")))
        .isEqualTo(Path.of("C:/Users/u"));
  }

  @Test
  void anEmptyFlagIsAProgrammingError() {
    assertThatThrownBy(() -> Settings.resolve(Map.of(), new Properties(), Optional.of(Path.of("")), Optional.empty(), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("homeFlag is the empty path");
    assertThatThrownBy(() -> Settings.resolve(Map.of(), new Properties(), Optional.empty(), Optional.of(Path.of("")), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("libraryFlag is the empty path");
  }
}
