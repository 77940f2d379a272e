package soko.runtime.manager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import soko.runtime.ModelUnavailableException;
import soko.runtime.cloud.CloudEndpoint;
import soko.runtime.cloud.CloudProvider;

/** Whether a job goes to a remote engine: only for the tasks the user listed, never offline. */
final class CloudRoute {
  private CloudRoute() {}

  record CloudUse(CloudProvider provider, CloudEndpoint endpoint) {
    ModelUse use(Need need) {
      return new ModelUse(need.alias(), "cloud:" + provider.id(), provider.id() + " at " + endpoint.endpoint().getHost(),
          false, true, Duration.ZERO);
    }
  }

  /** The configured remote engine for this job, if the user configured one for its task. */
  static Optional<CloudUse> cloudFor(Need need, RuntimeSettings settings, boolean offline, List<CloudProvider> clouds)
      throws ModelUnavailableException {
    Optional<CloudEndpoint> endpoint = settings.cloud().filter(c -> c.handles(need.task()));
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    String id = endpoint.get().providerId();
    if (offline) {
      throw new ModelUnavailableException(RuntimeSettings.ENV_CLOUD_PROVIDER + " sends " + need.task() + " to " + id
          + ", but Soko is offline: go online, or remove " + need.task() + " from " + RuntimeSettings.ENV_CLOUD_TASKS);
    }
    for (CloudProvider p : clouds) {
      if (p.id().equals(id)) {
        return Optional.of(new CloudUse(p, endpoint.get()));
      }
    }
    throw new ModelUnavailableException(RuntimeSettings.ENV_CLOUD_PROVIDER + " names \"" + id + "\", but no such cloud"
        + " provider is installed (found: " + clouds.stream().map(CloudProvider::id).toList() + "): fix the setting or unset it");
  }
}
