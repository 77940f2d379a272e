package soko.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.AliasChoice;
import soko.app.Soko;

@Command(name = "install", header = "Install a model by name, alias, manifest file or oci:// reference.",
    description = {"Downloads only after consent: --yes approves in advance, and on a terminal Soko asks;"
        + " without either it exits 4 before any network request.",
        "An alias installs the model recommended for this computer (--model NAME: another candidate), as"
        + " `soko pull` does; running a model then uses the alias's first installed candidate.",
        "A model whose licence forbids commercial use installs only with --accept-license naming that licence.",
        "Idempotent: an installed, verified model is left as it is, and a corrupt one is repaired.",
        "Takes the same references and options as `soko pull`, oci://REGISTRY/REPO:TAG included."})
final class InstallCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME|ALIAS|MANIFEST.json|oci://REGISTRY/REPO:TAG",
      description = "A model or alias of the catalog (see `soko catalog`), a manifest file or a registry reference.")
  String target;

  @Mixin
  PushCommand.RegistryOptions registry = new PushCommand.RegistryOptions();

  @Mixin
  PullCommand.Choosing choosing = new PullCommand.Choosing();

  @Option(names = {"--yes", "-y"}, description = "Approve a download in advance, if one is needed.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    root.connections = PullCommand.connections(choosing);
    soko.app.Registries registries = soko.app.Registries.isReference(target) ? registry.open(root) : null;
    return PullCommand.install(root, target, choosing, yes, registries);
  }

  static void print(SokoCommand root, Soko.InstallResult r, Optional<AliasChoice> choice) {
    var m = r.model().manifest();
    if (root.global.json) {
      root.out.print(choice.isPresent() ? soko.app.Reports.installJson(r, choice.get()) : soko.app.Reports.installJson(r));
    } else if (r.alreadyInstalled()) {
      root.out.println(m.id() + " is already installed and verified");
    } else {
      root.out.println("installed " + m.id() + " (" + r.filesWritten() + " file(s), " + Format.bytes(r.bytesWritten())
          + " written and verified)");
    }
    if (!root.global.json && m.demo()) {
      root.out.println("note: " + m.name() + " is a DEMO, not real machine translation");
    }
  }
}
