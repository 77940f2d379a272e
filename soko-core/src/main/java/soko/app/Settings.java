package soko.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import soko.store.StoreRoots;

/**
 * Every setting, resolved once from flags, environment variables and platform conventions, then
 * passed down. Nothing below {@code soko.app} reads the environment. Immutable and thread-safe
 * (the environment map is a copy).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>flag</th><th>environment</th><th>default</th></tr>
 *   <tr><td>home (data + cache + library)</td><td>--home DIR</td><td>SOKO_HOME</td><td>platform folders below</td></tr>
 *   <tr><td>media library</td><td>--library DIR</td><td>SOKO_LIBRARY</td><td>HOME/library with a home, else ~/Soko Library</td></tr>
 *   <tr><td>offline</td><td>--offline</td><td>SOKO_OFFLINE=1</td><td>off</td></tr>
 *   <tr><td>proxies, trusted CAs</td><td>--ca-file PEM</td><td>see {@link NetworkSettings}</td><td>direct;
 *       the JDK's and the system's CAs</td></tr>
 * </table>
 *
 * <p>Platform defaults: Linux {@code $XDG_DATA_HOME/soko} (~/.local/share/soko) and
 * {@code $XDG_CACHE_HOME/soko} (~/.cache/soko); macOS {@code ~/Library/Application Support/soko}
 * and {@code ~/Library/Caches/soko}; Windows {@code %LOCALAPPDATA%\soko\data} and
 * {@code %LOCALAPPDATA%\soko\cache}. {@code ~} is {@code $HOME} when that is an absolute path,
 * else Java's {@code user.home}, which comes from the password file: under {@code sudo -E}, in
 * containers and for a uid without an entry the two differ, and the user means {@code $HOME}.
 *
 * @param roots the data, cache and library roots
 * @param offline whether all network access is forbidden
 * @param origin how the roots were chosen, for diagnostics ("--home", "SOKO_HOME", "platform default")
 * @param network proxies and trusted CAs
 * @param environment the variables Soko reads after it opens (the runtime settings such as
 *     {@code SOKO_THREADS}, and {@code SOKO_BUDGET}), as they were when these settings were made;
 *     only those variables are kept
 */
public record Settings(StoreRoots roots, boolean offline, String origin, NetworkSettings network,
    Map<String, String> environment) {
  /**
   * Settings with {@link NetworkSettings#defaults()}: no proxy, the JDK's and the system's CAs.
   *
   * @param roots the data, cache and library roots
   * @param offline whether all network access is forbidden
   * @param origin how the roots were chosen, for diagnostics
   */
  public Settings(StoreRoots roots, boolean offline, String origin) {
    this(roots, offline, origin, NetworkSettings.defaults());
  }

  /**
   * Settings whose {@link #environment()} is read from the process environment now, once: the
   * runtime settings and the storage budget then come from it.
   *
   * @param roots the data, cache and library roots
   * @param offline whether all network access is forbidden
   * @param origin how the roots were chosen, for diagnostics
   * @param network proxies and trusted CAs
   */
  public Settings(StoreRoots roots, boolean offline, String origin, NetworkSettings network) {
    this(roots, offline, origin, network, RuntimeEnvironment.capture(System.getenv()));
  }

  /**
   * Checks the components and keeps only the variables Soko reads from {@code environment}.
   *
   * @param roots the data, cache and library roots
   * @param offline whether all network access is forbidden
   * @param origin how the roots were chosen, for diagnostics
   * @param network proxies and trusted CAs
   * @param environment the process environment, or the part of it Soko reads
   * @throws NullPointerException when {@code roots}, {@code origin} or {@code network} is null
   */
  public Settings {
    java.util.Objects.requireNonNull(roots, "roots");
    java.util.Objects.requireNonNull(origin, "origin");
    java.util.Objects.requireNonNull(network, "network");
    environment = RuntimeEnvironment.capture(environment);
  }

  /** The environment variable naming the home folder (data, cache and library below it); {@code --home} wins. */
  public static final String ENV_HOME = "SOKO_HOME";
  /** The environment variable naming the media library folder; {@code --library} wins. */
  public static final String ENV_LIBRARY = "SOKO_LIBRARY";
  /** The environment variable that forbids network access when set to anything but {@code 0} or {@code false}. */
  public static final String ENV_OFFLINE = "SOKO_OFFLINE";

  /**
   * Resolves settings.
   *
   * @param env the process environment (System.getenv() in production)
   * @param props the system properties (for user.home and os.name)
   * @param homeFlag the {@code --home} value; empty to use {@value #ENV_HOME} or the platform folders
   * @param libraryFlag the {@code --library} value; empty to use {@value #ENV_LIBRARY} or the default
   * @param offlineFlag true for {@code --offline}; false leaves it to {@value #ENV_OFFLINE}
   * @return the settings
   * @throws IllegalArgumentException when a flag is the empty path (it would mean the working directory)
   * @throws InvalidSettingException when a proxy variable is unusable (see {@link NetworkSettings})
   */
  public static Settings resolve(Map<String, String> env, Properties props, Optional<Path> homeFlag,
      Optional<Path> libraryFlag, boolean offlineFlag) {
    return resolve(env, props, homeFlag, libraryFlag, offlineFlag, java.util.List.of());
  }

  /**
   * Resolves settings, with {@code --ca-file} values.
   *
   * @param env the process environment (System.getenv() in production)
   * @param props the system properties (for user.home and os.name)
   * @param homeFlag the {@code --home} value; empty to use {@value #ENV_HOME} or the platform folders
   * @param libraryFlag the {@code --library} value; empty to use {@value #ENV_LIBRARY} or the default
   * @param offlineFlag true for {@code --offline}; false leaves it to {@value #ENV_OFFLINE}
   * @param caFiles PEM files of extra trusted CAs; may be empty
   * @return the settings
   * @throws IllegalArgumentException when a flag is the empty path (it would mean the working directory)
   * @throws InvalidSettingException when a proxy variable or a CA file is unusable (see {@link NetworkSettings})
   */
  public static Settings resolve(Map<String, String> env, Properties props, Optional<Path> homeFlag,
      Optional<Path> libraryFlag, boolean offlineFlag, java.util.List<Path> caFiles) {
    homeFlag.filter(p -> p.toString().isEmpty()).ifPresent(p -> {
      throw new IllegalArgumentException("homeFlag is the empty path");
    });
    libraryFlag.filter(p -> p.toString().isEmpty()).ifPresent(p -> {
      throw new IllegalArgumentException("libraryFlag is the empty path");
    });
    Path userHome = userHome(env, props);
    Optional<Path> home = homeFlag.or(() -> nonEmpty(env.get(ENV_HOME)).map(Path::of));
    String origin = homeFlag.isPresent() ? "--home" : home.isPresent() ? ENV_HOME : "platform default";
    Path data;
    Path cache;
    if (home.isPresent()) {
      data = home.get().resolve("data");
      cache = home.get().resolve("cache");
    } else {
      String os = props.getProperty("os.name", "Linux").toLowerCase(java.util.Locale.ROOT);
      if (os.startsWith("mac")) {
        data = userHome.resolve("Library/Application Support/soko");
        cache = userHome.resolve("Library/Caches/soko");
      } else if (os.startsWith("windows")) {
        Path local = nonEmpty(env.get("LOCALAPPDATA")).map(Path::of).orElse(userHome.resolve("AppData/Local"));
        data = local.resolve("soko").resolve("data");
        cache = local.resolve("soko").resolve("cache");
      } else {
        data = xdg(env, "XDG_DATA_HOME", userHome.resolve(".local/share")).resolve("soko");
        cache = xdg(env, "XDG_CACHE_HOME", userHome.resolve(".cache")).resolve("soko");
      }
    }
    Path library = libraryFlag
        .or(() -> nonEmpty(env.get(ENV_LIBRARY)).map(Path::of))
        .orElseGet(() -> home.map(h -> h.resolve("library")).orElse(userHome.resolve("Soko Library")));
    boolean offline = offlineFlag || nonEmpty(env.get(ENV_OFFLINE)).map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    return new Settings(new StoreRoots(data, cache, library), offline, origin, NetworkSettings.resolve(env, caFiles),
        env);
  }

  /**
   * The user's home folder: {@code $HOME} when it is set to an absolute path (except on Windows,
   * where HOME is not the profile folder), else the {@code user.home} system property (the password
   * file's entry), else the working directory.
   *
   * @param env the process environment (for {@code HOME})
   * @param props the system properties (for {@code os.name} and {@code user.home})
   * @return the home folder; {@code .} when neither is usable
   */
  public static Path userHome(Map<String, String> env, Properties props) {
    boolean windows = props.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    if (!windows) {
      Optional<Path> home = nonEmpty(env.get("HOME")).flatMap(Settings::path).filter(Path::isAbsolute);
      if (home.isPresent()) {
        return home.get();
      }
    }
    return nonEmpty(props.getProperty("user.home")).flatMap(Settings::path).orElse(Path.of("."));
  }

  private static Optional<Path> path(String s) {
    try {
      return Optional.of(Path.of(s));
    } catch (java.nio.file.InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** XDG base directories must be absolute; a relative one is ignored, as the spec says. */
  private static Path xdg(Map<String, String> env, String key, Path fallback) {
    return nonEmpty(env.get(key)).flatMap(Settings::path).filter(Path::isAbsolute).orElse(fallback);
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
  }
}
