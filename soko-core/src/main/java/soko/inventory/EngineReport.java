package soko.inventory;

import java.util.List;
import java.util.Map;

/** An available engine: what it runs and what it found on this machine (e.g. execution providers). */
public record EngineReport(String id, String version, List<String> capabilities, String description,
    boolean nativeCode, Map<String, String> probe) {
  public EngineReport {
    capabilities = List.copyOf(capabilities);
    probe = Map.copyOf(probe);
  }
}
