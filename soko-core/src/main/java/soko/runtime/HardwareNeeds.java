package soko.runtime;

import java.util.Set;

/**
 * What an engine needs from the machine, and what it would use if present.
 *
 * @param minMemoryBytes memory below which it should not load
 * @param requiredCpuFeatures CPU flags it cannot run without, as /proc/cpuinfo names them (e.g. avx2)
 * @param usesGpu whether it can use a GPU when one is present
 * @param nativeCode whether it runs native code (and so runs isolated where the engine says so)
 */
public record HardwareNeeds(long minMemoryBytes, Set<String> requiredCpuFeatures, boolean usesGpu, boolean nativeCode) {
  public HardwareNeeds {
    requiredCpuFeatures = Set.copyOf(requiredCpuFeatures);
  }

  public static final HardwareNeeds PURE_JAVA = new HardwareNeeds(0, Set.of(), false, false);
}
