package soko.runtime;

import java.util.Set;

/**
 * What an engine needs from the machine, and what it would use if present. Immutable and
 * thread-safe.
 *
 * @param minMemoryBytes memory in bytes below which it should not load; 0 for no minimum
 * @param requiredCpuFeatures CPU flags it cannot run without, as /proc/cpuinfo names them (e.g. avx2)
 * @param usesGpu whether it can use a GPU when one is present
 * @param nativeCode whether it runs native code (and so runs isolated where the engine says so)
 */
public record HardwareNeeds(long minMemoryBytes, Set<String> requiredCpuFeatures, boolean usesGpu, boolean nativeCode) {
  /** Copies the set. */
  public HardwareNeeds {
    requiredCpuFeatures = Set.copyOf(requiredCpuFeatures);
  }

  /** The needs of an engine in pure Java: none. */
  public static final HardwareNeeds PURE_JAVA = new HardwareNeeds(0, Set.of(), false, false);
}
