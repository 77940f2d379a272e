package soko.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after the command name. */
final class Global {
  @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Put data and cache under DIR (default: platform folders; env SOKO_HOME).")
  Path home;

  @Option(names = "--library", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "The app's media library, which Soko never touches (env SOKO_LIBRARY).")
  Path library;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for programs.")
  boolean json;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show details and stack traces.")
  boolean verbose;

  @Option(names = "--offline", scope = ScopeType.INHERIT,
      description = "Forbid all network access (env SOKO_OFFLINE=1).")
  boolean offline;

  Optional<Path> home() {
    return Optional.ofNullable(home);
  }

  Optional<Path> library() {
    return Optional.ofNullable(library);
  }
}
