package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.app.Soko;

@Command(name = "pull", description = "Download and install a model by name or alias (ja-asr, ko-en, vad, …) after consent."
    + " Resumes interrupted downloads; verifies every byte. Without a terminal, needs --yes (else exit 4, no network).")
final class PullCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME|ALIAS|MANIFEST.json")
  String target;

  @Option(names = {"--yes", "-y"}, description = "Approve the download in advance.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    Soko.InstallResult r = root.soko().pull(target, Interaction.consent(yes, root.err),
        Interaction.progress(root.global.json, root.out, root.err));
    InstallCommand.print(root, r);
    return ExitCode.OK;
  }
}
