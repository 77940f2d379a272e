package soko.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import soko.inventory.Diagnostics;
import soko.inventory.EngineReport;
import soko.runtime.EngineInfo;
import soko.runtime.EngineProvider;
import soko.runtime.cloud.CloudProvider;

/** The engine providers and cloud providers on the class path (ServiceLoader), and what they report. */
final class EngineDiscovery {
  private EngineDiscovery() {}

  /** Engine providers found on the class path. */
  static List<EngineProvider> providers() {
    List<EngineProvider> out = new ArrayList<>();
    ServiceLoader.load(EngineProvider.class, Soko.class.getClassLoader()).forEach(out::add);
    out.sort(java.util.Comparator.comparing((EngineProvider p) -> p.info().id()).thenComparing(p -> p.info().description()));
    return out;
  }

  /** The cloud providers on the class path; listing them never touches the network. */
  static List<CloudProvider> cloudProviders() {
    List<CloudProvider> out = new ArrayList<>();
    ServiceLoader.load(CloudProvider.class, Soko.class.getClassLoader()).forEach(out::add);
    return out;
  }

  /** The engines, as Diagnostics shows them. */
  static List<EngineReport> reports() {
    List<EngineReport> out = new ArrayList<>();
    for (EngineProvider p : providers()) {
      EngineInfo i = p.info();
      Map<String, String> probe;
      try {
        probe = p.probe();
      } catch (RuntimeException | LinkageError e) {
        probe = Map.of("error", String.valueOf(e.getMessage()));
      }
      out.add(new EngineReport(i.id(), i.version(), i.capabilities().stream().map(Object::toString).toList(),
          i.description(), i.needs().nativeCode(), probe));
    }
    return out;
  }
}
