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
import soko.app.DownloadPlan;
import soko.app.Reports;
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
        "oci://REGISTRY/REPO:TAG (or @sha256:…) installs a model published with `soko push`, or any ModelPack"
        + " (modctl, KitOps, ORAS); one whose task cannot be told from it installs with no task until --task names one."})
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

  @Option(names = "--task", paramLabel = "TASK",
      description = "With an oci:// reference: what the model does, replacing what the artifact says (repeatable):"
          + " asr:ja, speech-translate:ja:en, translate:ko:en or vad. Makes a ModelPack installed with no task runnable.")
  List<String> tasks = new ArrayList<>();

  /** The options of {@code pull} and {@code install} that choose what an alias installs and which licences are accepted. */
  static final class Choosing {
    @Option(names = "--model", paramLabel = "NAME",
        description = "With an alias: install this candidate instead of the one recommended for this computer.")
    String model;

    @Option(names = "--accept-license", paramLabel = "SPDX-ID",
        description = "Accept this licence by name (repeatable); needed for a model whose licence forbids commercial"
            + " use, such as CC-BY-NC-4.0.")
    List<String> licenses = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the plan (bytes, hosts, licence, free space after) and change"
        + " nothing; sends no request but catalog reads.")
    boolean dryRun;

    @Option(names = "--connections", paramLabel = "N",
        description = "Download each large file (32 MiB or more) over N connections at once, as ranges, from a mirror"
            + " that serves ranges with a strong validator (1 to 16, default 4; 1 turns it off; env SOKO_CONNECTIONS).")
    Integer connections;
  }

  @Override
  public Integer call() throws Exception {
    root.connections = PullCommand.connections(choosing);
    if (!tasks.isEmpty() && !Registries.isReference(target)) {
      throw new InputException("--task applies to oci:// references only; a catalog model or manifest already says what it does");
    }
    List<soko.manifest.TaskSpec> specs = new ArrayList<>();
    for (String t : tasks) {
      specs.add(ManifestCommand.Create.task(t));
    }
    Registries registries = Registries.isReference(target) ? registry.open(root) : null;
    return install(root, target, choosing, yes, registries, specs.isEmpty() ? Optional.empty() : Optional.of(specs));
  }

  /** {@code --connections}, checked: 1 to 16. */
  static Integer connections(Choosing choosing) throws InputException {
    Integer n = choosing.connections;
    if (n != null && (n < 1 || n > soko.acquisition.DownloadSettings.MAX_CONNECTIONS)) {
      throw new InputException("--connections " + n + " is outside 1.." + soko.acquisition.DownloadSettings.MAX_CONNECTIONS
          + "; give 4, say, or 1 for one connection per file");
    }
    return n;
  }

  static int install(SokoCommand root, String target, Choosing choosing, boolean yes, Registries registries) throws Exception {
    return install(root, target, choosing, yes, registries, Optional.empty());
  }

  /** Prints what installing {@code target} would download, and changes nothing. */
  private static int dryRun(SokoCommand root, Soko soko, String target, Optional<AliasChoice> choice, boolean registry)
      throws Exception {
    if (registry) {
      // The registry's manifest says the sizes; reading it is a network request a dry run does not send.
      if (root.global.json) {
        root.out.print(Reports.dryRunJson(target));
      } else {
        root.out.println("would pull " + Display.safe(target) + "; a dry run does not contact the registry, so the"
            + " sizes are not known");
      }
      return ExitCode.OK;
    }
    var manifest = choice.isPresent() ? choice.get().manifest() : soko.resolve(target).manifest();
    DownloadPlan plan = soko.plan(manifest);
    if (root.global.json) {
      root.out.print(Reports.dryRunJson(plan, choice));
    } else if (plan.files().isEmpty()) {
      root.out.println(Display.safe(manifest.id()) + ": nothing to download ("
          + (soko.isVerified(manifest.name().value()) ? "installed and verified" : "from local sources") + ")");
    } else {
      root.out.println("would install " + Display.safe(plan.summary()));
    }
    return ExitCode.OK;
  }

  /**
   * Installs {@code target} for {@code pull} and {@code install}: an alias's choice is said on
   * stderr (or as {@code recommendation} with {@code --json}) before anything is asked or fetched.
   */
  @SuppressWarnings("try") // d is closed early, before an error is reported, so the progress line is gone first
  static int install(SokoCommand root, String target, Choosing choosing, boolean yes, Registries registries,
      Optional<List<soko.manifest.TaskSpec>> tasks) throws Exception {
    Soko soko = root.soko();
    Optional<AliasChoice> choice = registries != null && choosing.model == null ? Optional.empty()
        : soko.chooseForPull(target, Optional.ofNullable(choosing.model));
    if (choice.isPresent() && !root.global.json) {
      root.err.println(choice.get().describe());
      root.err.flush();
    }
    if (choosing.dryRun) {
      return dryRun(root, soko, target, choice, registries != null);
    }
    try (Interaction.Download d = new Interaction.Download(root, yes, Set.copyOf(choosing.licenses))) {
      Soko.InstallResult r;
      try {
        if (registries != null) {
          r = registries.pull(target, tasks, d.consent(), d.progress());
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
      Optional<String> noTask = registries == null ? Optional.empty() : Registries.noTaskNotice(r.model().manifest(), target);
      if (noTask.isPresent() && !root.global.json) {
        root.err.println(Display.safe(noTask.get()));
        root.err.flush();
      }
      InstallCommand.print(root, r, choice);
    }
    return ExitCode.OK;
  }
}
