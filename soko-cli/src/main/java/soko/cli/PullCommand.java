package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Consent;
import soko.app.Registries;
import soko.app.Reports;
import soko.app.Soko;
import soko.events.ProgressListener;

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
    Consent consent = Interaction.consent(yes, root.err);
    ProgressListener progress = Interaction.progress(root.global.json, root.out, root.err);
    Soko.InstallResult r = Registries.isReference(target)
        ? registry.open(root).pull(target, consent, progress)
        : root.soko().pull(target, consent, progress);
    InstallCommand.print(root, r);
    return ExitCode.OK;
  }
}
