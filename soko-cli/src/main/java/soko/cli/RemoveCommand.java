package soko.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.GcReport;
import soko.store.ModelNotInstalledException;

@Command(name = "rm", aliases = "remove", header = "Uninstall a model.",
    description = "Frees the stored files no other installed model uses.")
final class RemoveCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME", description = "An installed model (see `soko list`).")
  String name;

  @picocli.CommandLine.Option(names = "--dry-run", description = "Print what would be freed and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    GcReport r;
    try {
      if (dryRun) {
        soko.app.RemovalPlan p = root.soko().planRemoval(name);
        if (root.global.json) {
          root.out.print(Reports.removalPlanJson(p));
        } else {
          root.out.println("would remove " + Display.safe(p.model().manifest().id()) + ", freeing "
              + Format.bytes(p.bytesFreed()) + (p.bytesShared() > 0 ? " (" + Format.bytes(p.bytesShared())
              + " stay: another installed model uses them)" : ""));
        }
        return ExitCode.OK;
      }
      r = root.soko().remove(name);
    } catch (ModelNotInstalledException e) {
      try {
        soko.manifest.ModelName.parse(name);
      } catch (IllegalArgumentException notAName) {
        throw e; // the store's message says what a name is, without echoing this one
      }
      // Not the store's "run soko install": someone removing a model does not want it installed.
      List<String> installed = root.soko().list().stream().map(c -> c.model().manifest().name().value()).toList();
      String hint = Suggestions.didYouMean(Suggestions.closest(name, installed));
      throw new InputException(name + " is not installed, so there is nothing to remove"
          + (hint.isEmpty() ? "" : "; " + hint) + " (`soko list` shows what is installed)", e);
    }
    if (root.global.json) {
      root.out.print(Reports.gcJson(r));
    } else {
      r.notices().forEach(root.out::println);
      root.out.println("removed " + name + ", freed " + Format.bytes(r.bytesFreed()));
    }
    return ExitCode.OK;
  }
}
