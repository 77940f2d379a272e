package soko.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import soko.manifest.Manifest;
import soko.store.FileCheck;
import soko.store.ModelCheck;

/** Table rendering shared by list and verify. */
final class Render {
  private Render() {}

  static String models(List<ModelCheck> checks, boolean files) {
    return models(checks, files, 0);
  }

  /** The models table, to be printed {@code indent} columns in: it fits the terminal's width less that. */
  static String models(List<ModelCheck> checks, boolean files, int indent) {
    if (checks.isEmpty()) {
      return "No models installed. Try `soko install silero-vad`, or `soko demo`.\n";
    }
    List<List<String>> rows = new ArrayList<>();
    for (ModelCheck c : checks) {
      Manifest m = c.model().manifest();
      rows.add(List.of(m.name().value(), m.version().text(),
          m.noTask() ? "(no task)" : String.join(" ", m.tasks().stream().map(Object::toString).toList()),
          m.license().spdx(), m.bundled() ? "yes" : "no", Format.bytes(m.totalSize()), c.state().id(),
          c.verifiedAt().map(Format::time).orElse("-")));
    }
    StringBuilder sb = new StringBuilder(Format.table(
        List.of("NAME", "VERSION", "TASKS", "LICENCE", "BUNDLED", "SIZE", "STATE", "VERIFIED"), rows,
        narrower(Terminal.tableWidth(), indent)));
    if (files) {
      for (ModelCheck c : checks) {
        sb.append('\n').append(c.model().manifest().id()).append(c.model().manifest().demo() ? "  (DEMO — not real machine translation)" : "").append('\n');
        for (FileCheck f : c.files()) {
          sb.append("  ").append(Display.safe(f.file().path().value())).append("  ").append(Format.bytes(f.file().size()))
              .append("  ").append(f.state().id()).append('\n');
          sb.append("    sha256 ").append(f.file().sha256().hex()).append('\n');
          sb.append("    at ").append(Display.safe(f.blob())).append('\n');
          f.problem().ifPresent(p -> sb.append("    problem: ").append(Display.safe(p)).append('\n'));
        }
      }
    }
    return sb.toString();
  }

  static OptionalInt narrower(OptionalInt width, int by) {
    return width.isPresent() ? OptionalInt.of(width.getAsInt() - by) : width;
  }
}
