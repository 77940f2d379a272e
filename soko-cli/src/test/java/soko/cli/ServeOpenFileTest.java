package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** soko serve --open hands the browser a private file, not the URL with the key on a command line. */
class ServeOpenFileTest {
  @Test
  void theRedirectFileIsReadableByThisUserOnlyAndLeadsToTheKeyedUrl() throws Exception {
    String url = "http://127.0.0.1:43127/?key=abc_DEF-123";
    Path file = ServeCommand.redirectFile(url);
    try {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
      assertThat(Files.readString(file)).contains("<meta http-equiv=\"refresh\" content=\"0;url=" + url + "\">")
          .contains("<meta name=\"referrer\" content=\"no-referrer\">");
      assertThat(file.toUri().toString()).startsWith("file:/").doesNotContain("key=");
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.getParent());
    }
  }
}
