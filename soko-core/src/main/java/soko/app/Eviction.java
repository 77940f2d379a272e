package soko.app;

import java.time.Instant;
import java.util.Optional;

/**
 * One model (or one kept previous version of a model) that the budget evicts.
 *
 * @param name the model's name
 * @param version the version that goes
 * @param previousVersion true for the version an update kept for rollback (the installed version stays)
 * @param bytes what evicting it frees, given what goes before it (a blob another model keeps frees nothing)
 * @param lastUsed when an engine last opened the model, if ever
 */
public record Eviction(String name, String version, boolean previousVersion, long bytes, Optional<Instant> lastUsed) {
  /**
   * One line for people, such as "whisper-base 1.0.0 (141 MiB, last used 2026-11-29)".
   *
   * @return the model, its version, size and last use
   */
  public String describe() {
    return name + " " + version + (previousVersion ? " kept for rollback" : "") + " (" + Bytes.human(bytes)
        + ", " + lastUsed.map(t -> "last used " + t.toString().substring(0, 10)).orElse("never used") + ")";
  }
}
