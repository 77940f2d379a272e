package soko.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Settings;

class RootsTest {
  @TempDir
  Path dir;

  @Test
  void theLibraryGivenAsTheCacheRootIsRefused() {
    Path lib = dir.resolve("Music");
    StoreRoots roots = new StoreRoots(dir.resolve("data"), lib, lib);
    assertThatThrownBy(roots::validated).isInstanceOf(StoreConfigException.class)
        .hasMessage("the cache root " + lib + " and the media library " + lib
            + " overlap; give them separate folders (--home, --library, SOKO_HOME or SOKO_LIBRARY)");
  }

  @Test
  void aLibraryInsideTheCacheIsRefused() {
    StoreRoots roots = new StoreRoots(dir.resolve("data"), dir.resolve("cache"), dir.resolve("cache/media"));
    assertThatThrownBy(roots::validated).hasMessageContaining("overlap");
  }

  @Test
  void aCacheRootThatIsALinkIntoTheLibraryIsRefused() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("Music"));
    Path cache = Files.createSymbolicLink(dir.resolve("cache"), lib);
    StoreRoots roots = new StoreRoots(dir.resolve("data"), cache, lib);
    assertThatThrownBy(roots::validated).hasMessageContaining("the cache root " + cache + " and the media library " + lib);
  }

  @Test
  void homePutsDataCacheAndLibraryUnderIt() {
    Settings s = Settings.resolve(Map.of(), new Properties(), Optional.of(dir), Optional.empty(), false);
    assertThat(s.roots()).isEqualTo(new StoreRoots(dir.resolve("data"), dir.resolve("cache"), dir.resolve("library")));
  }

  @Test
  void platformDefaultsFollowXdgMacOsAndWindows() {
    Properties linux = new Properties();
    linux.setProperty("user.home", "/home/u");
    linux.setProperty("os.name", "Linux");
    Settings s = Settings.resolve(Map.of("XDG_CACHE_HOME", "/xc"), linux, Optional.empty(), Optional.empty(), false);
    assertThat(s.roots().data()).isEqualTo(Path.of("/home/u/.local/share/soko"));
    assertThat(s.roots().cache()).isEqualTo(Path.of("/xc/soko"));
    Settings relative = Settings.resolve(Map.of("XDG_DATA_HOME", "rel"), linux, Optional.empty(), Optional.empty(), false);
    assertThat(relative.roots().data()).as("relative XDG paths are ignored").isEqualTo(Path.of("/home/u/.local/share/soko"));
    Properties mac = new Properties();
    mac.setProperty("user.home", "/Users/u");
    mac.setProperty("os.name", "Mac OS X");
    Settings m = Settings.resolve(Map.of(), mac, Optional.empty(), Optional.empty(), false);
    assertThat(m.roots().data()).isEqualTo(Path.of("/Users/u/Library/Application Support/soko"));
    assertThat(m.roots().cache()).isEqualTo(Path.of("/Users/u/Library/Caches/soko"));
    Properties win = new Properties();
    win.setProperty("user.home", "/c/u");
    win.setProperty("os.name", "Windows 11");
    Settings w = Settings.resolve(Map.of("LOCALAPPDATA", "/c/u/AppData/Local"), win, Optional.empty(), Optional.empty(), false);
    assertThat(w.roots().data()).isEqualTo(Path.of("/c/u/AppData/Local/soko/data"));
    assertThat(w.roots().cache()).isEqualTo(Path.of("/c/u/AppData/Local/soko/cache"));
  }

  @Test
  void environmentOverridesAndFlagsWin() {
    Settings env = Settings.resolve(Map.of("SOKO_HOME", "/e", "SOKO_LIBRARY", "/lib", "SOKO_OFFLINE", "1"),
        new Properties(), Optional.empty(), Optional.empty(), false);
    assertThat(env.roots().data()).isEqualTo(Path.of("/e/data"));
    assertThat(env.roots().library()).isEqualTo(Path.of("/lib"));
    assertThat(env.offline()).isTrue();
    assertThat(env.origin()).isEqualTo("SOKO_HOME");
    Settings flag = Settings.resolve(Map.of("SOKO_HOME", "/e"), new Properties(), Optional.of(Path.of("/f")),
        Optional.of(Path.of("/flib")), false);
    assertThat(flag.roots().data()).isEqualTo(Path.of("/f/data"));
    assertThat(flag.roots().library()).isEqualTo(Path.of("/flib"));
    assertThat(flag.origin()).isEqualTo("--home");
  }
}
