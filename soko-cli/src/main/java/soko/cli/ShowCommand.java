package soko.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.ModelDescription;
import soko.app.Reports;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;
import soko.store.FileCheck;

@Command(name = "show", header = "Show everything about one model: state, versions, licence, files, sources.",
    description = {"NAME is an installed model, a model of the catalogs (NAME or NAME@VERSION), an alias such as"
        + " ja-asr (the model pulling it installs on this computer, and why) or a manifest file.",
        "Reads the store and the catalogs; never hashes and never downloads (`soko verify --full NAME` hashes)."})
final class ShowCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME|ALIAS", description = "The model, alias or manifest file to show.")
  String target;

  @Override
  public Integer call() throws Exception {
    ModelDescription d = root.soko().describe(target);
    if (root.global.json) {
      root.out.print(Reports.showJson(d));
    } else {
      root.out.print(text(d));
    }
    return ExitCode.OK;
  }

  static String text(ModelDescription d) {
    Manifest m = d.manifest();
    StringBuilder sb = new StringBuilder();
    // The choice's own line already starts with the alias ("ja-en: m2m100-418m 1.0.0 …").
    d.alias().ifPresent(c -> sb.append(Display.safe(c.describe())).append("\n\n"));
    sb.append(Display.safe(m.id())).append(m.demo() ? "  (DEMO — not real machine translation)" : "").append('\n');
    line(sb, "description", m.description());
    line(sb, "installed", d.installed().map(c -> "yes, " + c.state().id() + " (" + Format.bytes(d.diskBytes())
        + " on disk)").orElse("no"));
    line(sb, "versions", "installed " + (d.installedVersions().isEmpty() ? "none" : String.join(", ", d.installedVersions()))
        + "; in the catalogs " + (d.availableVersions().isEmpty() ? "none" : String.join(", ", d.availableVersions())));
    line(sb, "tasks", String.join(" ", m.tasks().stream().map(Object::toString).toList()));
    line(sb, "engine", m.engine().id() + " " + m.engine().versions() + (d.engineAvailable() ? "" : " (not available here)"));
    line(sb, "licence", m.license().spdx() + " " + m.license().url()
        + (soko.catalog.ModelFacts.nonCommercial(m) ? " (non-commercial use only)" : ""));
    line(sb, "attribution", m.license().attribution());
    line(sb, "size", Format.bytes(m.totalSize()));
    line(sb, "origin", d.origin());
    line(sb, "catalogs", d.catalogs().isEmpty() ? "none" : String.join(", ", d.catalogs()));
    line(sb, "aliases", d.aliases().isEmpty() ? "none" : String.join(", ", d.aliases()));
    sb.append("files:\n");
    for (ModelFile f : m.files()) {
      Optional<FileCheck> check = d.installed().flatMap(c -> c.files().stream()
          .filter(fc -> fc.file().path().equals(f.path())).findFirst());
      sb.append("  ").append(Display.safe(f.path().value())).append("  ").append(Format.bytes(f.size()))
          .append("  ").append(check.map(c -> c.state().id()).orElse("not installed")).append('\n');
      sb.append("    sha256 ").append(f.sha256().hex()).append('\n');
      check.filter(c -> c.state() != soko.store.FileState.MISSING)
          .ifPresent(c -> sb.append("    at ").append(Display.safe(c.blob())).append('\n'));
      f.sources().forEach(s -> sb.append("    from ").append(Display.safe(s.toString())).append('\n'));
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(String.format("%-12s ", key + ":")).append(Display.safe(value)).append('\n');
  }
}
