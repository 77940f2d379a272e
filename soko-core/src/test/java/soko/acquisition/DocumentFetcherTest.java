package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.http.FaultServer;

class DocumentFetcherTest {
  @TempDir
  Path dir;

  DocumentFetcher fetcher = new DocumentFetcher(DownloadSettings.DEFAULTS);

  @Test
  void aRedirectToAFileUrlIsRefusedWithOneLine() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "local file");
    try (FaultServer server = FaultServer.start()) {
      server.redirect("/catalog.json", 302, secret.toUri());
      assertThatThrownBy(() -> fetcher.fetch(server.uri("/catalog.json"), 1024)).isInstanceOf(IOException.class)
          .hasMessage(server.uri("/catalog.json") + ": redirected to " + secret.toUri() + ", which is not http or https");
    }
  }

  @Test
  void aDocumentLargerThanTheCapIsRefused() throws Exception {
    try (FaultServer server = FaultServer.start()) {
      server.serve("/big.json", new byte[5000]);
      assertThatThrownBy(() -> fetcher.fetch(server.uri("/big.json"), 4096)).isInstanceOf(IOException.class)
          .hasMessageContaining("a catalog is at most 4096 bytes");
      server.serve("/small.json", "{}".getBytes());
      assertThat(fetcher.fetch(server.uri("/small.json"), 4096)).isEqualTo("{}".getBytes());
    }
  }
}
