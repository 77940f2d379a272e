package soko.runtime;

import java.util.List;
import soko.manifest.TaskSpec;

/**
 * What an engine provider declares: its id (matched against a manifest's {@code engine.id}), its
 * version (matched against the manifest's range), the tasks and languages it can run, and its
 * hardware needs.
 */
public record EngineInfo(String id, String version, List<TaskSpec> capabilities, HardwareNeeds needs, String description) {
  public EngineInfo {
    capabilities = List.copyOf(capabilities);
  }
}
