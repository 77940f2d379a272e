package soko.app;

import static soko.runtime.manager.RuntimeSettings.ENV_CLOUD_ENDPOINT;
import static soko.runtime.manager.RuntimeSettings.ENV_CLOUD_PROVIDER;
import static soko.runtime.manager.RuntimeSettings.ENV_CLOUD_TASKS;
import static soko.runtime.manager.RuntimeSettings.ENV_IDLE_UNLOAD;
import static soko.runtime.manager.RuntimeSettings.ENV_ISOLATE;
import static soko.runtime.manager.RuntimeSettings.ENV_MEMORY_BUDGET;
import static soko.runtime.manager.RuntimeSettings.ENV_THREADS;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.inventory.Machine;
import soko.manifest.Task;
import soko.runtime.cloud.CloudEndpoint;
import soko.runtime.manager.RuntimeSettings;

/**
 * Reads the {@link RuntimeSettings} from the variables {@link Settings#environment()} captured when
 * the settings were made: the process environment is read once, never again when the runtime
 * manager starts.
 */
final class RuntimeEnvironment {
  private static final int MAX_THREADS = 1024;

  /** The variables Soko reads after it opens: the runtime's and the storage budget's. */
  static final Set<String> NAMES = Set.of(ENV_THREADS, ENV_IDLE_UNLOAD,
      ENV_MEMORY_BUDGET, ENV_ISOLATE, ENV_CLOUD_PROVIDER,
      ENV_CLOUD_ENDPOINT, ENV_CLOUD_TASKS, Soko.ENV_BUDGET);

  private RuntimeEnvironment() {}

  /** The variables of {@link #NAMES} that {@code env} sets; nothing else (no proxy passwords in a toString). */
  static Map<String, String> capture(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    for (String name : NAMES) {
      String v = env.get(name);
      if (v != null) {
        out.put(name, v);
      }
    }
    return Map.copyOf(out);
  }

  /**
   * Reads the settings from the environment over the machine's defaults.
   *
   * @throws InvalidSettingException naming the variable and the values it takes
   */
  static RuntimeSettings resolve(Map<String, String> env, Machine machine) {
    RuntimeSettings d = RuntimeSettings.defaults(machine);
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
