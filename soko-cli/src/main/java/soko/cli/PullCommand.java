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

@Command(name = "pull", description = "Download and install a model by name or alias (ja-asr, ko-en, vad, …) after consent."
    + " Resumes interrupted downloads; verifies every byte."
    + " oci://REGISTRY/REPO:TAG (or @sha256:…) installs a model pushed with `soko push`. Without a terminal, needs --yes (else exit 4, no network).")
final class PullCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME|ALIAS|MANIFEST.json|oci://REGISTRY/REPO:TAG")
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
