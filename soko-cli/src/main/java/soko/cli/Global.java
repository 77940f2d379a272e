package soko.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;

/** Options every command takes, before or after the command name. */
final class Global {
  @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT, converter = Folder.class,
      description = "Put data and cache under DIR (default: platform folders; env SOKO_HOME).")
  Path home;

  @Option(names = "--library", paramLabel = "DIR", scope = ScopeType.INHERIT, converter = Folder.class,
      description = "The app's media library, which Soko never touches (env SOKO_LIBRARY).")
  Path library;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for programs.")
  boolean json;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show details and stack traces.")
  boolean verbose;

  @Option(names = "--offline", scope = ScopeType.INHERIT,
      description = "Forbid all network access (env SOKO_OFFLINE=1).")
  boolean offline;

  @Option(names = "--ca-file", paramLabel = "PEM", scope = ScopeType.INHERIT, converter = Folder.class,
      description = "Also trust the CA certificates in this PEM file for https (repeatable; env SOKO_CA_FILE;"
          + " SSL_CERT_FILE and SSL_CERT_DIR are read too).")
  java.util.List<Path> caFiles = new java.util.ArrayList<>();

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  Optional<Path> home() {
    return Optional.ofNullable(home);
  }

  Optional<Path> library() {
    return Optional.ofNullable(library);
  }

  /**
   * A folder named on the command line. An empty value is refused: {@code Path.of("")} is the
   * working directory, which nobody means by {@code --home ""} (an unset variable, usually).
   */
  static final class Folder implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("an empty folder name; give a folder, such as ~/soko, or leave the option out");
      }
      return Path.of(value);
    }
  }
}
