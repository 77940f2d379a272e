package soko.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.BudgetReports;
import soko.app.ConfigFile;

@Command(name = "config", header = "Show and change settings kept in the store (such as the storage budget).",
    description = {"Settings live in DATA/state/settings.json; each value is checked when set.",
        "budget: the most the installed models may take, such as 20GiB (KiB, MiB, GiB, TiB are powers of 1024; KB,"
            + " MB, GB, TB of 1000). An install over it evicts the least recently used models first, never one in"
            + " use, bundled or marked with `soko keep`. SOKO_BUDGET overrides it."},
    subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Unset.class, ConfigCommand.List.class})
final class ConfigCommand implements Runnable {
  @ParentCommand
  SokoCommand root;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(root.out);
  }

  static ConfigFile.Key key(String id) throws InputException {
    try {
      return ConfigFile.Key.parse(id);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  @Command(name = "get", header = "Print a setting's value (exit 1 when it is not set).")
  static final class Get implements Callable<Integer> {
    @ParentCommand
    ConfigCommand parent;

    @Parameters(paramLabel = "KEY", description = "budget")
    String key;

    @Override
    public Integer call() throws Exception {
      ConfigFile.Key k = key(key);
      var value = parent.root.soko().config().get(k);
      if (parent.root.global.json) {
        parent.root.out.print(BudgetReports.settingJson(k, value));
      } else if (value.isPresent()) {
        parent.root.out.println(value.get());
      } else {
        parent.root.err.println("soko: " + k.id() + " is not set (`soko config set " + k.id() + " VALUE` sets it)");
      }
      return value.isPresent() ? ExitCode.OK : ExitCode.FAILURE;
    }
  }

  @Command(name = "set", header = "Check and set a setting.")
  static final class Set implements Callable<Integer> {
    @ParentCommand
    ConfigCommand parent;

    @Parameters(index = "0", paramLabel = "KEY", description = "budget")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "For budget: a size such as 20GiB or 500MB.")
    String value;

    @Override
    public Integer call() throws Exception {
      ConfigFile.Key k = key(key);
      String stored;
      try {
        stored = parent.root.soko().config().set(k, value);
      } catch (soko.app.InvalidSettingException e) {
        throw new InputException(e.getMessage(), e);
      }
      if (!parent.root.global.json) {
        parent.root.out.println(k.id() + " = " + stored);
        if (System.getenv(soko.app.Soko.ENV_BUDGET) != null && k == ConfigFile.Key.BUDGET) {
          parent.root.err.println("note: SOKO_BUDGET is set and overrides this setting");
        }
      } else {
        parent.root.out.print(BudgetReports.settingJson(k, java.util.Optional.of(stored)));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "unset", header = "Remove a setting (its default applies again).")
  static final class Unset implements Callable<Integer> {
    @ParentCommand
    ConfigCommand parent;

    @Parameters(paramLabel = "KEY", description = "budget")
    String key;

    @Override
    public Integer call() throws Exception {
      ConfigFile.Key k = key(key);
      boolean was = parent.root.soko().config().unset(k);
      if (!parent.root.global.json) {
        parent.root.out.println(was ? "unset " + k.id() : k.id() + " was not set");
      } else {
        parent.root.out.print(BudgetReports.unsetJson(was));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "list", header = "Print every setting that is set, and the budget in force.")
  static final class List implements Callable<Integer> {
    @ParentCommand
    ConfigCommand parent;

    @Override
    public Integer call() throws Exception {
      ConfigFile file = parent.root.soko().config();
      Map<ConfigFile.Key, String> all = file.list();
      var inForce = parent.root.soko().budget();
      if (parent.root.global.json) {
        parent.root.out.print(BudgetReports.configJson(file, all, inForce));
      } else {
        all.forEach((k, v) -> parent.root.out.println(k.id() + " = " + v));
        inForce.filter(b -> !b.origin().equals("settings"))
            .ifPresent(b -> parent.root.out.println("budget in force: " + b.budget() + " (from " + b.origin() + ")"));
      }
      return ExitCode.OK;
    }
  }
}
