package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.store.CacheClearReport;

@Command(name = "cache", header = "Manage the cache: partial downloads and engine scratch files.",
    description = "The cache can be emptied at any time; installed models are not in it.",
    subcommands = CacheCommand.Clear.class)
final class CacheCommand implements Runnable {
  @ParentCommand
  SokoCommand root;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(root.out);
  }

  @Command(name = "clear", header = "Empty the cache root.",
      description = {"Removes everything inside the cache root, partial downloads included.",
          "Never follows a link out of it; never touches the library or the installed models."})
  static final class Clear implements Callable<Integer> {
    @ParentCommand
    CacheCommand parent;

    @Option(names = "--dry-run", description = "Show what would be removed.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      SokoCommand root = parent.root;
      CacheClearReport r = root.soko().clearCache(dryRun);
      var roots = root.soko().settings().roots();
      if (root.global.json) {
        root.out.print(Reports.cacheClearJson(r, roots.cache().toString(), roots.library().toString()));
      } else {
        root.out.println((dryRun ? "would remove " : "removed ") + r.filesRemoved() + " file(s) from " + roots.cache()
            + ", " + (dryRun ? "freeing " : "freed ") + Format.bytes(r.bytesFreed())
            + (r.partialDownloads() > 0 ? " (including " + r.partialDownloads() + " partial download(s), "
                + Format.bytes(r.partialBytes()) + ")" : ""));
        root.out.println("the library " + roots.library() + " was not touched");
        r.skipped().forEach(s -> root.err.println("soko: skipped " + Display.safe(s)));
      }
      return ExitCode.OK;
    }
  }
}
