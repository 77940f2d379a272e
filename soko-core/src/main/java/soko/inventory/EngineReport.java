package soko.inventory;

import java.util.List;
import java.util.Map;

/**
 * An available engine: what it runs and what it found on this machine (e.g. execution providers).
 * Immutable and thread-safe (the collections are copied).
 *
 * @param id the engine's id, as manifests name it in {@code engine.id}, e.g. {@code onnx}
 * @param version the engine's version, compared with a manifest's {@code engine.versions} range
 * @param capabilities what it runs, one entry per task and language pair (the written form of each
 *     {@link soko.manifest.TaskSpec}); empty when it declares none
 * @param description one line for people, such as the runtime library it wraps
 * @param nativeCode whether it loads native libraries (and so may crash its process)
 * @param probe hardware-specific extras it detected, such as execution providers, name to value;
 *     empty when it probes nothing
 */
public record EngineReport(String id, String version, List<String> capabilities, String description,
    boolean nativeCode, Map<String, String> probe) {
  /** Copies the collections. */
  public EngineReport {
    capabilities = List.copyOf(capabilities);
    probe = Map.copyOf(probe);
  }
}
