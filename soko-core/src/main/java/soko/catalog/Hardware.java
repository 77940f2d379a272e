package soko.catalog;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a model recommendation needs to know about the computer: built by the app from its hardware
 * probe ({@code soko.inventory.Machine}), so that the catalog needs no probe of its own. Immutable
 * and thread-safe.
 *
 * @param cores logical processors available to Soko, at least 1
 * @param memoryBytes physical memory in bytes, {@code >= 0} (0 when unknown)
 * @param cpuFeatures lower-case CPU feature flags as the probe reports them, such as {@code avx2},
 *     {@code avx512f} or {@code neon}; lower-cased and copied
 */
public record Hardware(int cores, long memoryBytes, Set<String> cpuFeatures) {
  /**
   * Checks the figures, lower-cases and copies the flags.
   *
   * @throws IllegalArgumentException if {@code cores < 1} or {@code memoryBytes < 0}
   */
  public Hardware {
    if (cores < 1) {
      throw new IllegalArgumentException("cores < 1");
    }
    if (memoryBytes < 0) {
      throw new IllegalArgumentException("memoryBytes < 0");
    }
    cpuFeatures = cpuFeatures.stream().map(f -> f.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Makes the record from any collection of flags.
   *
   * @param cores logical processors, at least 1
   * @param memoryBytes physical memory in bytes, {@code >= 0}
   * @param cpuFeatures CPU feature flags, any case; duplicates are dropped
   * @return the hardware
   * @throws IllegalArgumentException if {@code cores < 1} or {@code memoryBytes < 0}
   */
  public static Hardware of(int cores, long memoryBytes, Collection<String> cpuFeatures) {
    return new Hardware(cores, memoryBytes, Set.copyOf(cpuFeatures));
  }

  /**
   * Whether the CPU has the wide vector units ggml's fast kernels use: AVX2 (or AVX-512) on x86,
   * NEON (ASIMD) on ARM.
   *
   * @return true when one of {@code avx2}, {@code avx512f}, {@code neon} or {@code asimd} is present
   */
  public boolean vectorUnits() {
    return cpuFeatures.contains("avx2") || cpuFeatures.contains("avx512f") || cpuFeatures.contains("neon")
        || cpuFeatures.contains("asimd");
  }
}
