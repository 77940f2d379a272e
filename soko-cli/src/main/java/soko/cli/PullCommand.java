package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Registries;
import soko.app.Reports;
import soko.app.Soko;

@Command(name = "pull", header = "Download and install a model by name, alias, manifest or oci:// reference.",
    description = {"Asks first on a terminal; --yes approves in advance; without a terminal and without --yes it"
        + " exits 4 before any network request.",
        "Resumes interrupted downloads and verifies every byte.",
        "oci://REGISTRY/REPO:TAG (or @sha256:…) installs a model published with `soko push`."})
final class PullCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME|ALIAS|MANIFEST.json|oci://REGISTRY/REPO:TAG",
      description = "A model or alias of the catalog (ja-asr, ko-en, vad, …), a manifest file or a registry reference.")
  String target;

  @Mixin
  PushCommand.RegistryOptions registry = new PushCommand.RegistryOptions();

  @Option(names = {"--yes", "-y"}, description = "Approve the download in advance.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    Registries registries = Registries.isReference(target) ? registry.open(root) : null;
    Soko soko = root.soko();
    try (Interaction.Download d = new Interaction.Download(root, yes)) {
      Soko.InstallResult r;
      try {
        r = registries != null ? registries.pull(target, d.consent(), d.progress())
            : soko.pull(target, d.consent(), d.progress());
      } catch (Exception e) {
        return d.failed(e);
      }
      d.close();
      InstallCommand.print(root, r);
    }
    return ExitCode.OK;
  }
}
