package soko.inventory;

import java.util.List;

/**
 * The machine, as Diagnostics shows it and as engines are chosen for it.
 *
 * @param cpuFeatures flags relevant to engines (e.g. avx2, avx512f, sha_ni, neon)
 * @param gpus GPUs found (empty on a CPU-only machine)
 */
public record Machine(String os, String osVersion, String arch, String cpu, int cores, long memoryBytes,
    List<String> cpuFeatures, List<String> gpus, String java) {
  public Machine {
    cpuFeatures = List.copyOf(cpuFeatures);
    gpus = List.copyOf(gpus);
  }
}
