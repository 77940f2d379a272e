package soko.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.acquisition.DownloadSettings;
import soko.acquisition.ProxyRules;
import soko.acquisition.Trust;

/**
 * How Soko reaches the network: the proxies and the trusted certificate authorities, read once
 * from the environment (and {@code --ca-file}) by {@link Settings#resolve}.
 *
 * <table>
 *   <caption>Network settings</caption>
 *   <tr><th>setting</th><th>environment</th><th>rule</th></tr>
 *   <tr><td>proxy for http:// URLs</td><td>http_proxy, HTTP_PROXY</td><td rowspan="4">lower case wins when both
 *       are set (as in curl); HTTP_PROXY is ignored when REQUEST_METHOD is set (a CGI script, where a
 *       client's Proxy header would arrive as HTTP_PROXY)</td></tr>
 *   <tr><td>proxy for https:// URLs</td><td>https_proxy, HTTPS_PROXY</td></tr>
 *   <tr><td>proxy for both when the above is unset</td><td>all_proxy, ALL_PROXY</td></tr>
 *   <tr><td>hosts reached directly</td><td>no_proxy, NO_PROXY</td></tr>
 *   <tr><td>connections per file (ranged downloads; 1 turns them off)</td><td>{@value #ENV_CONNECTIONS};
 *       --connections on pull and install</td><td>1 to 16, default 4</td></tr>
 *   <tr><td>trusted CAs, besides the JDK's</td><td>SSL_CERT_FILE, SSL_CERT_DIR (colon-separated),
 *       {@value #ENV_CA_FILE}; --ca-file</td><td>all together, with {@value #SYSTEM_CA_FILE} and
 *       {@value #SYSTEM_CA_DIR} when present</td></tr>
 * </table>
 *
 * @param proxies which proxy carries each URL (see {@link ProxyRules} for the rules)
 * @param trust the CA certificates trusted for https
 * @param connections connections one large file is downloaded over, as ranges
 */
public record NetworkSettings(ProxyRules proxies, Trust trust, int connections) {
  /** The environment variable naming extra PEM files of trusted CAs, as {@code --ca-file} does. */
  public static final String ENV_CA_FILE = "SOKO_CA_FILE";
  /** The environment variable giving the connections per file, 1 to {@link DownloadSettings#MAX_CONNECTIONS}. */
  public static final String ENV_CONNECTIONS = "SOKO_CONNECTIONS";

  /**
   * Checks the connections.
   *
   * @param proxies which proxy carries each URL
   * @param trust the CA certificates trusted for https
   * @param connections connections per file, 1 to {@link DownloadSettings#MAX_CONNECTIONS}
   * @throws InvalidSettingException when {@code connections} is out of range
   */
  public NetworkSettings {
    if (connections < 1 || connections > DownloadSettings.MAX_CONNECTIONS) {
      throw new InvalidSettingException("connections " + connections + " is outside 1.." + DownloadSettings.MAX_CONNECTIONS
          + "; give 1 (one connection per file) up to " + DownloadSettings.MAX_CONNECTIONS);
    }
  }

  /**
   * Settings with {@link DownloadSettings#DEFAULT_CONNECTIONS} connections per file.
   *
   * @param proxies which proxy carries each URL
   * @param trust the CA certificates trusted for https
   */
  public NetworkSettings(ProxyRules proxies, Trust trust) {
    this(proxies, trust, DownloadSettings.DEFAULT_CONNECTIONS);
  }

  /**
   * These settings with {@code n} connections per file (from {@code --connections}).
   *
   * @param n connections per file, 1 to {@link DownloadSettings#MAX_CONNECTIONS}
   * @return new settings; these are unchanged
   * @throws InvalidSettingException when {@code n} is out of range
   */
  public NetworkSettings withConnections(int n) {
    return new NetworkSettings(proxies, trust, n);
  }
  /** Debian's and Ubuntu's bundle of the system's CAs (update-ca-certificates). */
  public static final String SYSTEM_CA_FILE = "/etc/ssl/certs/ca-certificates.crt";
  /** Fedora's and RHEL's bundle. */
  public static final String SYSTEM_CA_FILE_RHEL = "/etc/pki/tls/certs/ca-bundle.crt";
  /** The folder of the system's CA certificates on Debian, Ubuntu and others. */
  public static final String SYSTEM_CA_DIR = "/etc/ssl/certs";

  /**
   * No proxy; the JDK's CAs and the system's.
   *
   * @return the default settings, with {@link DownloadSettings#DEFAULT_CONNECTIONS} connections per file
   */
  public static NetworkSettings defaults() {
    return new NetworkSettings(ProxyRules.DIRECT, new Trust(systemFiles(), List.of()));
  }

  /**
   * Reads the proxy and CA variables of {@code env}.
   *
   * @param caFiles {@code --ca-file} values
   * @throws InvalidSettingException when a proxy variable is not an HTTP proxy URL, or a CA file
   *     named by a flag or {@value #ENV_CA_FILE} does not exist
   */
  static NetworkSettings resolve(Map<String, String> env, List<Path> caFiles) {
    boolean cgi = env.containsKey("REQUEST_METHOD");
    Optional<String> http = cgi ? Optional.ofNullable(env.get("http_proxy")) : either(env, "http_proxy");
    List<String> names = List.of(name(env, "http_proxy", cgi), name(env, "https_proxy", false),
        name(env, "all_proxy", false), name(env, "no_proxy", false));
    ProxyRules proxies;
    try {
      proxies = ProxyRules.of(http, either(env, "https_proxy"), either(env, "all_proxy"), either(env, "no_proxy"), names);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(e.getMessage(), e);
    }
    List<Path> files = new ArrayList<>(systemFiles());
    List<Path> named = new ArrayList<>(caFiles);
    Optional.ofNullable(env.get(ENV_CA_FILE)).filter(s -> !s.isBlank()).map(Path::of).ifPresent(named::add);
    for (Path f : named) {
      if (!Files.isRegularFile(f)) {
        throw new InvalidSettingException("the CA file " + f + " does not exist; give a PEM file of the CA that signed"
            + " the server's certificate");
      }
    }
    files.addAll(named);
    Optional.ofNullable(env.get("SSL_CERT_FILE")).filter(s -> !s.isBlank()).map(Path::of)
        .filter(p -> !files.contains(p)).ifPresent(files::add);
    List<Path> folders = new ArrayList<>();
    Optional.ofNullable(env.get("SSL_CERT_DIR")).ifPresent(v -> {
      for (String d : v.split(":")) {
        if (!d.isBlank()) {
          folders.add(Path.of(d));
        }
      }
    });
    // SSL_CERT_FILE may name a file that is gone (a stale environment): OpenSSL then trusts no file;
    // here it is skipped, and a failing handshake says how to trust a CA.
    files.removeIf(f -> !named.contains(f) && !Files.isRegularFile(f));
    if (files.stream().noneMatch(f -> f.toString().equals(SYSTEM_CA_FILE) || f.toString().equals(SYSTEM_CA_FILE_RHEL))
        && Files.isDirectory(Path.of(SYSTEM_CA_DIR)) && !folders.contains(Path.of(SYSTEM_CA_DIR))) {
      folders.add(Path.of(SYSTEM_CA_DIR));
    }
    // the system bundle already holds every certificate of /etc/ssl/certs: reading both is only slower
    if (files.stream().anyMatch(f -> f.toString().equals(SYSTEM_CA_FILE))) {
      folders.remove(Path.of(SYSTEM_CA_DIR));
    }
    return new NetworkSettings(proxies, new Trust(files, folders), connections(env.get(ENV_CONNECTIONS)));
  }

  private static int connections(String value) {
    if (value == null || value.isBlank()) {
      return DownloadSettings.DEFAULT_CONNECTIONS;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1 && n <= DownloadSettings.MAX_CONNECTIONS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new InvalidSettingException(ENV_CONNECTIONS + "=" + value + " is not a number of connections from 1 to "
        + DownloadSettings.MAX_CONNECTIONS + "; set it to 4, say, or 1 for one connection per file");
  }

  private static List<Path> systemFiles() {
    List<Path> out = new ArrayList<>();
    for (String s : List.of(SYSTEM_CA_FILE, SYSTEM_CA_FILE_RHEL)) {
      if (Files.isRegularFile(Path.of(s))) {
        out.add(Path.of(s));
      }
    }
    return out;
  }

  /** The lower-case variable when it is set (even empty), else the upper-case one. */
  private static Optional<String> either(Map<String, String> env, String lower) {
    return env.containsKey(lower) ? Optional.ofNullable(env.get(lower))
        : Optional.ofNullable(env.get(lower.toUpperCase(java.util.Locale.ROOT)));
  }

  private static String name(Map<String, String> env, String lower, boolean lowerOnly) {
    return lowerOnly || env.containsKey(lower) ? lower : lower.toUpperCase(java.util.Locale.ROOT);
  }
}
