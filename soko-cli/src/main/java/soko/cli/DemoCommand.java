package soko.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import soko.app.Soko;
import soko.store.FileState;
import soko.store.ModelCheck;

@Command(name = "demo", header = "Install the bundled models, verify them and run them.",
    description = "No network: finds speech in a bundled Japanese clip and translates a few phrases with the"
        + " DEMO phrasebook (fixed phrases, not machine translation).")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Override
  public Integer call() throws Exception {
    Soko soko = root.soko();
    var out = root.out;
    out.println("Soko demo: data in " + soko.settings().roots().data());
    for (String name : soko.bundledModels()) {
      Soko.InstallResult r = soko.install(name);
      out.println((r.alreadyInstalled() ? "  already installed  " : "  installed          ") + r.model().manifest().id());
    }
    List<ModelCheck> checks = new ArrayList<>(soko.verify(java.util.Optional.empty(), false));
    out.println();
    out.print(Render.models(checks, true));
    if (!checks.stream().allMatch(c -> c.state() == FileState.VERIFIED)) {
      return ExitCode.VERIFICATION;
    }
    DemoRun.run(soko, out);
    return ExitCode.OK;
  }
}
