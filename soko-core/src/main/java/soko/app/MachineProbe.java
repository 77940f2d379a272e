package soko.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import soko.inventory.Machine;

/** Finds the OS, CPU, cores, memory, CPU features and GPUs. Cheap; reads /proc on Linux. */
final class MachineProbe {
  private static final Set<String> FEATURES = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
      "avx512_vnni", "avx_vnni", "sha_ni", "asimd", "neon", "sve");

  private MachineProbe() {}

  static Machine probe(Properties props) {
    String cpu = props.getProperty("os.arch", "unknown");
    Set<String> features = new TreeSet<>();
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      try {
        for (String line : Files.readAllLines(cpuinfo)) {
          int colon = line.indexOf(':');
          if (colon < 0) {
            continue;
          }
          String key = line.substring(0, colon).trim();
          String value = line.substring(colon + 1).trim();
          if (key.equals("model name") || key.equals("Model")) {
            cpu = value;
          } else if (key.equals("flags") || key.equals("Features")) {
            for (String f : value.split("\\s+")) {
              if (FEATURES.contains(f)) {
                features.add(f);
              }
            }
          }
          if (key.isEmpty() && !features.isEmpty()) {
            break; // the first processor tells us enough
          }
        }
      } catch (IOException e) {
        // No CPU details: diagnostics shows the architecture only.
      }
    }
    long memory = 0;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    return new Machine(props.getProperty("os.name", "unknown"), props.getProperty("os.version", ""),
        props.getProperty("os.arch", "unknown"), cpu, Runtime.getRuntime().availableProcessors(), memory,
        List.copyOf(features), gpus(), props.getProperty("java.vm.vendor", "") + " " + props.getProperty("java.version", ""));
  }

  private static List<String> gpus() {
    List<String> out = new ArrayList<>();
    Path nvidia = Path.of("/proc/driver/nvidia/gpus");
    if (Files.isDirectory(nvidia)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(nvidia)) {
        for (Path p : ds) {
          out.add("NVIDIA " + p.getFileName());
        }
      } catch (IOException e) {
        // Unreadable: report none rather than guess.
      }
    }
    Path dri = Path.of("/dev/dri");
    if (out.isEmpty() && Files.isDirectory(dri)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dri, "renderD*")) {
        for (Path p : ds) {
          out.add("DRM render node " + p.getFileName());
        }
      } catch (IOException e) {
        // As above.
      }
    }
    return out;
  }
}
