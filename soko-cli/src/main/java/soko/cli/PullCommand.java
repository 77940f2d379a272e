package soko.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.AliasChoice;
import soko.app.Registries;
import soko.app.Soko;

@Command(name = "pull", header = "Download and install a model by name, alias, manifest or oci:// reference.",
    description = {"Asks first on a terminal; --yes approves in advance; without a terminal and without --yes it"
        + " exits 4 before any network request.",
        "An alias (ja-asr, ko-en, …) installs the model recommended for this computer, and says why on stderr;"
        + " --model NAME installs another of its candidates. Running a model is another rule: an alias then uses"
        + " its first installed candidate, so a model installed earlier keeps being used.",
        "A model whose licence forbids commercial use (such as CC-BY-NC-4.0) installs only with"
        + " --accept-license naming that licence; --yes alone is not enough.",
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

  @Mixin
  Choosing choosing = new Choosing();

  @Option(names = {"--yes", "-y"}, description = "Approve the download in advance.")
  boolean yes;

  /** The options of {@code pull} and {@code install} that choose what an alias installs and which licences are accepted. */
  static final class Choosing {
    @Option(names = "--model", paramLabel = "NAME",
        description = "With an alias: install this candidate instead of the one recommended for this computer.")
    String model;

    @Option(names = "--accept-license", paramLabel = "SPDX-ID",
        description = "Accept this licence by name (repeatable); needed for a model whose licence forbids commercial"
            + " use, such as CC-BY-NC-4.0.")
    List<String> licenses = new ArrayList<>();
  }

  @Override
  public Integer call() throws Exception {
    Registries registries = Registries.isReference(target) ? registry.open(root) : null;
    return install(root, target, choosing, yes, registries);
  }

  /**
   * Installs {@code target} for {@code pull} and {@code install}: an alias's choice is said on
   * stderr (or as {@code recommendation} with {@code --json}) before anything is asked or fetched.
   */
  @SuppressWarnings("try") // d is closed early, before an error is reported, so the progress line is gone first
  static int install(SokoCommand root, String target, Choosing choosing, boolean yes, Registries registries)
      throws Exception {
    Soko soko = root.soko();
    Optional<AliasChoice> choice = registries != null && choosing.model == null ? Optional.empty()
        : soko.chooseForPull(target, Optional.ofNullable(choosing.model));
    if (choice.isPresent() && !root.global.json) {
      root.err.println(choice.get().describe());
      root.err.flush();
    }
    try (Interaction.Download d = new Interaction.Download(root, yes, Set.copyOf(choosing.licenses))) {
      Soko.InstallResult r;
      try {
        if (registries != null) {
          r = registries.pull(target, d.consent(), d.progress());
        } else if (choice.isPresent()) {
          var m = choice.get().manifest();
          r = soko.install(m, m.bundled() ? "bundled" : "catalog", d.consent(), d.progress());
        } else {
          r = soko.pull(target, d.consent(), d.progress());
        }
      } catch (Exception e) {
        try {
          return d.failed(e);
        } catch (Exception notInterrupted) {
          if (choice.isEmpty()) {
            throw notInterrupted;
          }
          d.close();
          return Errors.report(notInterrupted, root.global, root.out, root.err, choice);
        }
      }
      d.close();
      InstallCommand.print(root, r, choice);
    }
    return ExitCode.OK;
  }
}
