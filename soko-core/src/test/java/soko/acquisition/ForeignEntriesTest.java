package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static soko.acquisition.Files4Test.modelFile;
import static soko.acquisition.Files4Test.randomBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.events.TransferEvent;
import soko.manifest.ModelFile;
import soko.testkit.nginx.Nginx;
import soko.testkit.RequiredTool;

/**
 * Entries planted in the downloads folder that are not Soko's own (symbolic links, hard links to
 * a user's file, FIFOs, a downloads folder that is a link) are moved aside and reported, never
 * followed: the user's file keeps its bytes and its mode, and nothing is written outside the cache.
 * Each test fails without the fix: the download then wrote the model into the user's file.
 */
class ForeignEntriesTest {
  static final DownloadSettings SETTINGS = DownloadSettings.DEFAULTS
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
      .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1));

  @TempDir Path tmp;
  Nginx nginx;
  byte[] content = randomBytes(3 << 20, 5);
  byte[] userBytes = randomBytes(2000, 6);
  Recorder events = new Recorder();
  ModelFile file;
  Path cache;
  Path downloads;
  Path library;
  Path userFile;
  Downloader downloader;

  @BeforeEach
  void start() throws IOException {
    RequiredTool.require(Nginx.unavailableReason());
    nginx = Nginx.start(tmp.resolve("nginx"));
    Files.write(nginx.root().resolve("m.bin"), content);
    file = modelFile("weights/m.bin", content, nginx.uri("/m.bin"));
    cache = Files.createDirectories(tmp.resolve("cache"));
    downloads = Files.createDirectories(cache.resolve("downloads"));
    library = Files.createDirectories(tmp.resolve("library"));
    userFile = library.resolve("holiday.wav");
    Files.write(userFile, userBytes);
    Files.setPosixFilePermissions(userFile, PosixFilePermissions.fromString("rw-r--r--"));
    downloader = new Downloader(downloads, SETTINGS, InstantSource.system());
  }

  @AfterEach
  void stop() throws IOException {
    if (nginx != null) {
      nginx.close();
    }
    events.assertGrammar();
  }

  private void assertUserFileUntouched() throws IOException {
    assertThat(Files.readAllBytes(userFile)).isEqualTo(userBytes);
    assertThat(Files.getPosixFilePermissions(userFile))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
    try (Stream<Path> s = Files.list(library)) {
      assertThat(s.toList()).containsExactly(userFile);
    }
  }

  private List<String> notices() {
    return events.of(TransferEvent.Notice.class).stream().map(TransferEvent.Notice::message).toList();
  }

  private Path downloaded() throws Exception {
    Path result = downloader.fetch(file, events);
    assertThat(result).isEqualTo(downloads.resolve(file.sha256().hex()));
    assertThat(Files.isRegularFile(result, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readAllBytes(result)).isEqualTo(content);
    return result;
  }

  @Test
  void aSymbolicLinkAtThePartialsNameIsMovedAsideNotWrittenThrough() throws Exception {
    Path partial = downloads.resolve(file.sha256().hex() + ".partial");
    Files.createSymbolicLink(partial, userFile);

    downloaded();

    assertUserFileUntouched();
    assertThat(notices()).singleElement().asString()
        .contains(partial.toString(), "a symbolic link", "moved it aside to " + cache.resolve("quarantine"));
    try (Stream<Path> q = Files.list(cache.resolve("quarantine"))) {
      Path moved = q.findFirst().orElseThrow();
      assertThat(Files.isSymbolicLink(moved)).isTrue();
      assertThat(Files.readSymbolicLink(moved)).isEqualTo(userFile);
    }
  }

  @Test
  void aDanglingLinkAtThePartialsNameCreatesNothingWhereItPoints() throws Exception {
    Path target = library.resolve("not-yet.bin");
    Files.createSymbolicLink(downloads.resolve(file.sha256().hex() + ".partial"), target);

    downloaded();

    assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertUserFileUntouched();
  }

  @Test
  void aHardLinkToAUsersFileAtThePartialsNameIsMovedAsideNotOverwritten() throws Exception {
    Files.createLink(downloads.resolve(file.sha256().hex() + ".partial"), userFile);

    downloaded();

    assertUserFileUntouched();
    assertThat(notices()).singleElement().asString().contains("2 names (hard links)");
  }

  @Test
  void aLinkAtTheCompleteFilesNameIsNotTakenForTheDownload() throws Exception {
    Path evil = library.resolve("evil.bin");
    Files.write(evil, content); // even with the right bytes, a link is not Soko's file
    Files.createSymbolicLink(downloads.resolve(file.sha256().hex()), evil);

    Path result = downloaded();

    assertThat(Files.isSymbolicLink(result)).isFalse();
    assertThat(Files.readAllBytes(evil)).isEqualTo(content);
    assertThat(notices()).singleElement().asString().contains("a symbolic link");
  }

  @Test
  void aLinkAtTheMetadataTempNameIsNeverWrittenThrough() throws Exception {
    Files.createSymbolicLink(downloads.resolve(file.sha256().hex() + ".json.tmp"), userFile);
    Files.createSymbolicLink(downloads.resolve(file.sha256().hex() + ".json"), userFile);

    downloaded();

    assertUserFileUntouched();
    assertThat(notices()).hasSize(2);
  }

  @Test
  void aFifoAtThePartialsNameIsMovedAsideWithoutBlocking() throws Exception {
    Path partial = downloads.resolve(file.sha256().hex() + ".partial");
    Process mkfifo = new ProcessBuilder("mkfifo", partial.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");

    downloaded();

    assertThat(notices()).singleElement().asString().contains("a special file");
  }

  @Test
  void aDownloadsFolderThatIsALinkIntoTheLibraryIsMovedAsideAndNothingIsWrittenThere() throws Exception {
    Files.delete(downloads);
    Files.createSymbolicLink(downloads, library);

    downloaded();

    assertUserFileUntouched();
    assertThat(Files.isDirectory(downloads, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(notices()).singleElement().asString().contains(downloads.toString(), "a symbolic link");
  }

  @Test
  void removingPartialsThroughALinkedDownloadsFolderDeletesNothingInTheLibrary() throws Exception {
    Files.write(library.resolve(file.sha256().hex() + ".partial"), userBytes);
    Files.delete(downloads);
    Files.createSymbolicLink(downloads, library);

    assertThat(downloader.removePartials()).isEmpty();

    assertThat(Files.readAllBytes(library.resolve(file.sha256().hex() + ".partial"))).isEqualTo(userBytes);
  }
}
