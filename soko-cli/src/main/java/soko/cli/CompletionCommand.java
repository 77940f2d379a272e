package soko.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "completion", header = "Print the shell completion script for bash or zsh.",
    description = {"bash: add `source <(soko completion bash)` to ~/.bashrc, or save the script as"
        + " /usr/share/bash-completion/completions/soko.",
        "zsh: save the script as _soko in a folder of $fpath, such as ~/.zfunc with `fpath=(~/.zfunc $fpath)`"
            + " before `compinit` in ~/.zshrc."})
final class CompletionCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
  Completion.Shell shell;

  @Override
  public Integer call() {
    root.out.print(Completion.script(shell, spec.parent().commandLine()));
    return ExitCode.OK;
  }
}
