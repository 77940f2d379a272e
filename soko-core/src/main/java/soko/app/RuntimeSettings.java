package soko.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.inventory.Machine;
import soko.manifest.Task;
import soko.runtime.cloud.CloudEndpoint;

/**
 * How models run, resolved once in {@code soko.app} and passed to {@link Engines}.
 *
 * <table>
 *   <caption>Runtime settings</caption>
 *   <tr><th>setting</th><th>environment</th><th>default</th></tr>
 *   <tr><td>engine threads per session</td><td>SOKO_THREADS</td><td>the machine's cores</td></tr>
 *   <tr><td>unload a model idle this long</td><td>SOKO_IDLE_UNLOAD_SECONDS (0 = as soon as unused)</td><td>300</td></tr>
 *   <tr><td>memory for loaded models (estimated by model size)</td><td>SOKO_MEMORY_BUDGET_MB</td><td>half the machine's memory, or 4096</td></tr>
 *   <tr><td>run native engines in a child process</td><td>SOKO_ISOLATE (0 = in this process)</td><td>on</td></tr>
 *   <tr><td>remote engine (none by default)</td><td>SOKO_CLOUD_PROVIDER, SOKO_CLOUD_ENDPOINT, SOKO_CLOUD_TASKS</td><td>none</td></tr>
 * </table>
 *
 * @param threads worker threads per engine session, at least 1
 * @param idleUnload how long an unused model stays loaded; zero unloads it when its last user is done
 * @param memoryBudgetBytes models stay loaded while their estimated sizes fit; the least recently used idle ones go first
 * @param isolate run native engines (whisper.cpp) in a child process
 * @param cloud the remote engine the user configured, if any; empty unless set explicitly
 */
public record RuntimeSettings(int threads, Duration idleUnload, long memoryBudgetBytes, boolean isolate,
    Optional<CloudEndpoint> cloud) {
  public static final String ENV_THREADS = "SOKO_THREADS";
  public static final String ENV_IDLE_UNLOAD = "SOKO_IDLE_UNLOAD_SECONDS";
  public static final String ENV_MEMORY_BUDGET = "SOKO_MEMORY_BUDGET_MB";
  public static final String ENV_ISOLATE = "SOKO_ISOLATE";
  public static final String ENV_CLOUD_PROVIDER = "SOKO_CLOUD_PROVIDER";
  public static final String ENV_CLOUD_ENDPOINT = "SOKO_CLOUD_ENDPOINT";
  public static final String ENV_CLOUD_TASKS = "SOKO_CLOUD_TASKS";
  public static final Duration DEFAULT_IDLE_UNLOAD = Duration.ofMinutes(5);
  /** Used when the machine's memory is unknown. */
  public static final long DEFAULT_MEMORY_BUDGET = 4L << 30;
  private static final int MAX_THREADS = 1024;

  public RuntimeSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1");
    }
    if (idleUnload.isNegative()) {
      throw new IllegalArgumentException("idleUnload < 0");
    }
    if (memoryBudgetBytes < 0) {
      throw new IllegalArgumentException("memoryBudgetBytes < 0");
    }
  }

  /** The defaults for this machine, with no cloud provider. */
  public static RuntimeSettings defaults(Machine machine) {
    return new RuntimeSettings(Math.max(1, machine.cores()), DEFAULT_IDLE_UNLOAD,
        machine.memoryBytes() > 0 ? machine.memoryBytes() / 2 : DEFAULT_MEMORY_BUDGET, true, Optional.empty());
  }

  /**
   * Reads the settings from the environment over the machine's defaults.
   *
   * @throws InvalidSettingException naming the variable and the values it takes
   */
  public static RuntimeSettings resolve(Map<String, String> env, Machine machine) {
    RuntimeSettings d = defaults(machine);
    int threads = value(env, ENV_THREADS).map(v -> (int) number(ENV_THREADS, v, 1, MAX_THREADS)).orElse(d.threads());
    Duration idle = value(env, ENV_IDLE_UNLOAD).map(v -> Duration.ofSeconds(number(ENV_IDLE_UNLOAD, v, 0, 7L * 24 * 3600)))
        .orElse(d.idleUnload());
    long budget = value(env, ENV_MEMORY_BUDGET).map(v -> number(ENV_MEMORY_BUDGET, v, 0, 1L << 30) << 20)
        .orElse(d.memoryBudgetBytes());
    boolean isolate = value(env, ENV_ISOLATE).map(v -> flag(ENV_ISOLATE, v)).orElse(true);
    return new RuntimeSettings(threads, idle, budget, isolate, cloud(env));
  }

  private static Optional<CloudEndpoint> cloud(Map<String, String> env) {
    Optional<String> provider = value(env, ENV_CLOUD_PROVIDER);
    Optional<String> endpoint = value(env, ENV_CLOUD_ENDPOINT);
    Optional<String> tasks = value(env, ENV_CLOUD_TASKS);
    if (provider.isEmpty()) {
      if (endpoint.isPresent() || tasks.isPresent()) {
        throw new InvalidSettingException(ENV_CLOUD_ENDPOINT + " and " + ENV_CLOUD_TASKS + " are set but "
            + ENV_CLOUD_PROVIDER + " is not: name the provider to use, or unset them to run everything locally");
      }
      return Optional.empty();
    }
    if (endpoint.isEmpty() || tasks.isEmpty()) {
      throw new InvalidSettingException(ENV_CLOUD_PROVIDER + "=" + provider.get() + " needs " + ENV_CLOUD_ENDPOINT
          + " (the service URL) and " + ENV_CLOUD_TASKS + " (such as translate or asr,speech-translate)");
    }
    Set<Task> set = EnumSet.noneOf(Task.class);
    for (String t : tasks.get().split(",")) {
      try {
        set.add(Task.parse(t.strip().toLowerCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(ENV_CLOUD_TASKS + " lists \"" + t.strip() + "\"; use asr, speech-translate or translate", e);
      }
    }
    try {
      return Optional.of(new CloudEndpoint(provider.get(), new URI(endpoint.get()), set));
    } catch (URISyntaxException e) {
      throw new InvalidSettingException(ENV_CLOUD_ENDPOINT + " is not a URL: " + e.getReason(), e);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(ENV_CLOUD_PROVIDER + " settings: " + e.getMessage(), e);
    }
  }

  private static Optional<String> value(Map<String, String> env, String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static long number(String key, String v, long min, long max) {
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidSettingException(key + " must be a whole number from " + min + " to " + max + ", not \"" + v + "\"");
  }

  private static boolean flag(String key, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off" -> false;
      default -> throw new InvalidSettingException(key + " is 1 or 0, not \"" + v + "\"");
    };
  }
}
