/**
 * The {@code soko} command ({@code soko.cli.Main}). Exports nothing; picocli reads the commands by
 * reflection. Run on the module path with {@code java -m soko.cli/soko.cli.Main}, the engine
 * modules beside it.
 */
module soko.cli {
  requires soko.core;
  requires soko.web;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires jdk.unsupported;
  requires static org.jspecify;

  opens soko.cli to info.picocli;
}
