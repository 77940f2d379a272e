package soko.inventory;

import java.util.List;

/**
 * The machine, as Diagnostics shows it and as engines are chosen for it. Immutable and thread-safe
 * (the lists are copied).
 *
 * @param os the operating system's name ({@code os.name}), {@code unknown} when the JVM does not
 *     say
 * @param osVersion its version ({@code os.version}), empty when unknown
 * @param arch the CPU architecture as Java names it ({@code os.arch}), e.g. {@code amd64}
 * @param cpu the CPU's model name (from {@code /proc/cpuinfo}); the architecture when it cannot be
 *     read
 * @param cores the logical processors available to the JVM, {@code >= 1}
 * @param memoryBytes the machine's physical memory in bytes, 0 when unknown
 * @param cpuFeatures flags relevant to engines (e.g. avx2, avx512f, sha_ni, neon)
 * @param gpus GPUs found (empty on a CPU-only machine)
 * @param java the Java runtime's vendor and version, for bug reports
 */
public record Machine(String os, String osVersion, String arch, String cpu, int cores, long memoryBytes,
    List<String> cpuFeatures, List<String> gpus, String java) {
  /** Copies the lists. */
  public Machine {
    cpuFeatures = List.copyOf(cpuFeatures);
    gpus = List.copyOf(gpus);
  }
}
