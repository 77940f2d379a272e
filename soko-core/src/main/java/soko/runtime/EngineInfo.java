package soko.runtime;

import java.util.List;
import soko.manifest.TaskSpec;

/**
 * What an engine provider declares: its id (matched against a manifest's {@code engine.id}), its
 * version (matched against the manifest's range), the tasks and languages it can run, and its
 * hardware needs. Immutable and thread-safe.
 *
 * @param id the engine's id, as manifests name it in {@code engine.id}, such as {@code onnxruntime}
 * @param version the engine's version, matched against a manifest's {@code engine.versions} range
 * @param capabilities the tasks and languages it can run (copied); a model is opened for a task
 *     only when a capability covers it
 * @param needs what it needs from the machine
 * @param description one line for people, such as the runtime library it wraps and its version
 */
public record EngineInfo(String id, String version, List<TaskSpec> capabilities, HardwareNeeds needs, String description) {
  /** Copies the list. */
  public EngineInfo {
    capabilities = List.copyOf(capabilities);
  }
}
