package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import soko.app.BudgetReports;
import soko.app.Eviction;
import soko.app.Soko;

@Command(name = "prune", header = "Evict least recently used models until the store is within the budget.",
    description = {"Versions kept for rollback go first, then whole models, least recently used first; never a model"
        + " in use, bundled, or marked with `soko keep`.",
        "Exits 1 without evicting anything when no budget is set or even evicting everything that may go is not"
            + " enough (the message names what would have to go)."})
final class PruneCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Option(names = "--dry-run", description = "Show what would be evicted.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Soko.Prune p = root.soko().prune(dryRun);
    if (root.global.json) {
      root.out.print(BudgetReports.pruneJson(p, dryRun));
      return ExitCode.OK;
    }
    root.out.println("budget " + p.budget().budget() + " (" + p.budget().origin() + "), used " + Format.bytes(p.used()));
    if (dryRun) {
      p.evictions().forEach(e -> root.out.println("would evict " + Display.safe(e.describe())));
    } else {
      p.done().forEach(l -> root.out.println(Display.safe(l)));
    }
    long freed = p.evictions().stream().mapToLong(Eviction::bytes).sum();
    root.out.println(p.evictions().isEmpty() ? "within the budget: nothing to evict"
        : (dryRun ? "would free " : "freed ") + Format.bytes(freed));
    return ExitCode.OK;
  }
}
