package soko.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.inventory.Diagnostics;
import soko.inventory.EngineReport;
import soko.inventory.Machine;
import soko.store.StorageUse;

@Command(name = "diagnostics", aliases = "diag", header = "Show the inventory, storage use, roots, machine and engines.",
    description = "What `soko serve` shows on the Diagnostics page, as text (or JSON with --json).")
final class DiagnosticsCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Override
  public Integer call() throws Exception {
    Diagnostics d = root.soko().diagnostics();
    if (root.global.json) {
      root.out.print(Reports.diagnosticsJson(d, root.soko()));
      return ExitCode.OK;
    }
    var out = root.out;
    out.println("Roots (" + d.rootsOrigin() + ")");
    out.println("  data     " + Display.safe(d.roots().data()));
    out.println("  cache    " + Display.safe(d.roots().cache()));
    out.println("  library  " + Display.safe(d.roots().library()) + "  (never touched)");
    out.println();
    out.println("Models");
    out.print(indent(Render.models(d.models(), false, 2)));
    out.println();
    StorageUse s = d.storage();
    out.println("Storage");
    out.print(indent(Format.table(List.of("WHAT", "BYTES", ""), List.of(
        List.of("models", Format.bytes(s.models()), s.modelBlobs() + " blob(s), shared blobs counted once"),
        List.of("cache", Format.bytes(s.cache()), "soko cache clear empties it"),
        List.of("partial downloads", Format.bytes(s.partialDownloads()), s.partialCount() + " resumable"),
        List.of("installing", Format.bytes(s.pinned()), s.pinnedCount() + " blob(s) kept for installs in progress"),
        List.of("orphans", Format.bytes(s.orphans()), s.orphanCount() + " file(s); soko gc removes them"),
        List.of("free", Format.bytes(s.free()), "on the data root's disk")))));
    try {
      var budget = root.soko().budget();
      out.println("  budget: " + (budget.isPresent() ? budget.get().budget() + " (from " + budget.get().origin() + "), "
          + Format.bytes(root.soko().budgetUse()) + " used by models and versions kept for rollback"
          : "none (`soko config set budget 20GiB` sets one)"));
    } catch (soko.app.InvalidSettingException e) {
      out.println("  budget: " + Display.safe(e.getMessage()));
    }
    if (!d.notices().isEmpty()) {
      out.println();
      out.println("Notices");
      d.notices().forEach(n -> out.println("  " + n));
    }
    out.println();
    Machine m = d.machine();
    out.println("Machine");
    // Read from the system (/proc, lspci, system properties): escaped like any text from outside.
    out.println("  " + Display.safe(m.os() + " " + m.osVersion() + " " + m.arch() + ", " + m.cpu()));
    out.println("  " + m.cores() + " cores, " + Format.bytes(m.memoryBytes()) + " memory, features: "
        + Display.safe(m.cpuFeatures().isEmpty() ? "-" : String.join(" ", m.cpuFeatures())));
    out.println("  GPU: " + (m.gpus().isEmpty() ? "none found (CPU only)" : Display.safe(String.join(", ", m.gpus()))));
    out.println("  Java: " + Display.safe(m.java()));
    out.println();
    out.println("Engines");
    List<List<String>> rows = new ArrayList<>();
    for (EngineReport e : d.engines()) {
      rows.add(List.of(e.id(), e.version(), String.join(" ", e.capabilities()), e.nativeCode() ? "native" : "java",
          e.probe().isEmpty() ? "" : e.probe().toString()));
    }
    out.print(indent(rows.isEmpty() ? "none found\n"
        : Format.table(List.of("ENGINE", "VERSION", "CAPABILITIES", "CODE", "PROBE"), rows,
            Render.narrower(Terminal.tableWidth(), 2))));
    return ExitCode.OK;
  }

  private static String indent(String s) {
    return s.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }
}
