package soko.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Soko;

@Command(name = "import", header = "Install a model from a file or folder you already downloaded.",
    description = {"Finds the catalog model with a file of the same size and sha256 (sizes first: only a file whose"
        + " size matches is hashed), copies the matching files into the store, verifies them and installs the model"
        + " with the catalog's metadata. Files of the model that PATH lacks are downloaded after consent, as for"
        + " `soko install`.",
        "Your files are read, never moved, linked or changed."})
final class ImportCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "PATH", description = "A model file, or a folder of model files.")
  Path path;

  @Option(names = "--as", paramLabel = "NAME[@VERSION]",
      description = "The catalog model PATH is, when several match (or to check that it is that one).")
  String as;

  @Option(names = {"--yes", "-y"}, description = "Approve a download of the files PATH lacks, if one is needed.")
  boolean yes;

  @Override
  @SuppressWarnings("try") // d is closed early, so the progress line is gone before the result is printed
  public Integer call() throws Exception {
    Soko soko = root.soko();
    try (Interaction.Download d = new Interaction.Download(root, yes, Set.of())) {
      Soko.InstallResult r;
      try {
        r = soko.importFiles(path, Optional.ofNullable(as), d.consent(), d.progress());
      } catch (Exception e) {
        return d.failed(e);
      }
      d.close();
      InstallCommand.print(root, r, Optional.empty());
    }
    return ExitCode.OK;
  }
}
