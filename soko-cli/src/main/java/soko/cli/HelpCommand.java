package soko.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

@Command(name = "help", header = "Show the help of a command.",
    description = "The same as `soko COMMAND… --help`: `soko help cache clear` shows the options of `soko cache clear`.")
final class HelpCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its subcommands, such as cache clear.")
  List<String> path = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine at = spec.parent().commandLine();
    for (String word : path) {
      CommandLine next = at.getSubcommands().get(word);
      if (next == null) {
        throw new UnmatchedArgumentException(at, List.of(word));
      }
      at = next;
    }
    at.usage(root.out, at.getColorScheme());
    return ExitCode.OK;
  }
}
