package soko.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import soko.web.WebServer;

@Command(name = "serve", header = "Serve the Diagnostics page on this computer.",
    description = {"The inventory, storage use, installs with consent and progress, verification and clean-up, until"
        + " Ctrl-C.", "Binds to 127.0.0.1 unless --bind says otherwise; the printed URL carries this run's key."})
final class ServeCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Option(names = "--port", paramLabel = "N", defaultValue = "0",
      description = "The port to listen on (default: any free port).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = WebServer.LOOPBACK,
      description = "The address to listen on (default: ${DEFAULT-VALUE}, this computer only)."
          + " Anyone who can reach another address can open the page.")
  String bind;

  @Option(names = "--open", description = "Open the page in the default browser.")
  boolean open;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new picocli.CommandLine.ParameterException(root.spec.commandLine(), "--port must be 0..65535, not " + port);
    }
    raiseJdkHeaderLimits();
    WebServer web;
    try {
      web = WebServer.start(root.soko(), bind, port);
    } catch (IOException e) {
      // Not an internal error: the address is taken or not this computer's.
      String message = "cannot listen on " + bind + ":" + port + " (" + e.getMessage()
          + "); pick another --port (--port 0 takes any free port) or another --bind address";
      if (root.global.json) {
        root.out.println(soko.app.Reports.errorJson(message, ExitCode.FAILURE, "serve"));
      } else {
        root.err.println("soko: " + Display.safe(message));
      }
      root.out.flush();
      root.err.flush();
      return ExitCode.FAILURE;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(web::close, "soko-serve-stop"));
    root.out.println("Soko Diagnostics: " + web.uri());
    if (!java.net.InetAddress.getByName(bind).isLoopbackAddress()) {
      root.err.println("soko: listening on " + bind + ", not only on this computer: share the URL above only with people"
          + " who may manage this computer's models; without its key every request is refused");
    }
    root.out.println("Press Ctrl-C to stop.");
    root.out.flush();
    root.err.flush();
    if (open) {
      openBrowser(web.uri().toString());
    }
    web.awaitClose();
    return ExitCode.OK;
  }

  /** The JDK HTTP server's limits, read once when its first server starts. */
  static final Map<String, String> JDK_HEADER_LIMITS = Map.of(
      "sun.net.httpserver.maxReqHeaderSize", String.valueOf(4 << 20),
      "sun.net.httpserver.maxReqHeaders", "2000");

  /**
   * Beyond its limits (380 KiB of headers, 200 fields) JDK 25's HTTP server resets the connection
   * without an answer. Raised (unless set on the command line) before the server starts, so that
   * such a request reaches the page's own check, which answers 431 from 64 KiB or 100 fields; beyond
   * 4 MiB the JDK still resets. Set here, in the {@code soko serve} process only, not by the
   * library: the properties are JVM-wide.
   */
  static void raiseJdkHeaderLimits() {
    JDK_HEADER_LIMITS.forEach((key, value) -> {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    });
  }

  /**
   * Opens the page through a file only this user can read, which redirects to the URL: the URL
   * itself carries the key, and a command line (of xdg-open, and of the browser it starts) can be
   * read by every user of the computer in /proc.
   */
  private void openBrowser(String url) {
    String target;
    try {
      target = redirectFile(url).toUri().toString();
    } catch (IOException e) {
      root.err.println("soko: could not write the file that opens the page (" + Display.safe(e.getMessage()) + "); open the URL above"
          + " yourself");
      root.err.flush();
      return;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    List<String> command = os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", target)
        : os.contains("mac") ? List.of("open", target) : List.of("xdg-open", target);
    try {
      new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      root.err.println("soko: could not open a browser (" + Display.safe(e.getMessage()) + "); open the URL above yourself");
      root.err.flush();
    }
  }

  /** A page in a new folder readable by this user only, redirecting to {@code url}; removed when the server stops. */
  static Path redirectFile(String url) throws IOException {
    Path dir;
    Path file;
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (posix) {
      dir = Files.createTempDirectory("soko-serve-",
          PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rwx------")));
      file = Files.createFile(dir.resolve("open.html"),
          PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rw-------")));
    } else {
      dir = Files.createTempDirectory("soko-serve-"); // a user's own temp folder on Windows
      file = Files.createFile(dir.resolve("open.html"));
    }
    String href = url.replace("&", "&amp;").replace("\"", "&quot;");
    Files.writeString(file, "<!doctype html>\n<meta charset=\"utf-8\">\n<meta name=\"referrer\""
        + " content=\"no-referrer\">\n<meta http-equiv=\"refresh\" content=\"0;url=" + href + "\">\n<title>Soko"
        + " Diagnostics</title>\n<a href=\"" + href + "\">Open the Soko Diagnostics page</a>\n");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // the temp folder's own clean-up takes it
      }
    }, "soko-serve-open-file"));
    return file;
  }
}
