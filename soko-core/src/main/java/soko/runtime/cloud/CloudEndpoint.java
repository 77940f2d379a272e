package soko.runtime.cloud;

import java.net.URI;
import java.util.Set;
import soko.manifest.Task;

/**
 * What the user configured: which provider to use, where it is, and for which tasks. Built only
 * by {@code soko.app} from explicit settings; there is no default. Immutable and thread-safe.
 *
 * @param providerId the {@link CloudProvider#id()} to use
 * @param endpoint the service's https (or, for a LAN service, http) URL
 * @param tasks the tasks sent to the service; every other task runs locally; not empty
 */
public record CloudEndpoint(String providerId, URI endpoint, Set<Task> tasks) {
  /**
   * Checks the endpoint and copies the tasks.
   *
   * @throws IllegalArgumentException if the provider id is blank, the URL is not http(s) with a
   *     host, or the tasks are empty or include {@code vad}
   */
  public CloudEndpoint {
    if (providerId.isBlank()) {
      throw new IllegalArgumentException("a cloud provider id is not blank");
    }
    String scheme = endpoint.getScheme();
    if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("a cloud endpoint is an https:// (or LAN http://) URL with a host, not " + endpoint);
    }
    tasks = Set.copyOf(tasks);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("a cloud endpoint is used for at least one task");
    }
    if (tasks.contains(Task.VAD)) {
      throw new IllegalArgumentException("voice activity detection always runs locally; list asr, speech-translate or translate");
    }
  }

  /**
   * Whether a task goes to the service.
   *
   * @param task a task
   * @return true when {@code task} is one of {@link #tasks()}
   */
  public boolean handles(Task task) {
    return tasks.contains(task);
  }
}
