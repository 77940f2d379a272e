package soko.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Writes the shell completion scripts and manual pages of the command tree, at build time
 * (soko-cli's pom runs it in {@code process-classes}). Not a command.
 *
 * <pre>
 * TARGET/completion/soko.bash   bash: source it, or put it in /usr/share/bash-completion/completions/soko
 * TARGET/completion/_soko       zsh: put it in a folder of $fpath
 * TARGET/man/soko.1, soko-COMMAND.1, soko-COMMAND-SUBCOMMAND.1
 * </pre>
 */
public final class GenerateDocs {
  private GenerateDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: GenerateDocs TARGET_DIR (writes TARGET_DIR/completion and TARGET_DIR/man)");
      System.exit(ExitCode.USAGE);
    }
    Path target = Path.of(args[0]);
    CommandLine tree = tree();
    Path completion = Files.createDirectories(target.resolve("completion"));
    Files.writeString(completion.resolve("soko.bash"), Completion.script(Completion.Shell.bash, tree), StandardCharsets.UTF_8);
    Files.writeString(completion.resolve("_soko"), Completion.script(Completion.Shell.zsh, tree), StandardCharsets.UTF_8);
    Path man = Files.createDirectories(target.resolve("man"));
    try (DirectoryStream<Path> old = Files.newDirectoryStream(man, "*.1")) {
      for (Path p : old) {
        Files.delete(p); // a renamed or removed command leaves no stale page
      }
    }
    Map<String, String> pages = ManPages.all(tree, Main.version());
    for (Map.Entry<String, String> page : pages.entrySet()) {
      Files.writeString(man.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** The whole command tree, with output nowhere (nothing runs). */
  static CommandLine tree() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    return PicocliRun.tree(sink, sink);
  }
}
