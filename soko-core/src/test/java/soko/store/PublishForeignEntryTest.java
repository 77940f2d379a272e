package soko.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.ModelFile;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.verification.Hashing;

/**
 * A finished download is moved into the store only when it is a plain file with one name: a link
 * or a second name of a user's file would make the store publish (and make read-only) a file
 * outside it.
 */
class PublishForeignEntryTest {
  @TempDir Path dir;

  @Test
  void aSymbolicLinkIsNeverPublishedNorItsTargetMadeReadOnly() throws Exception {
    Store store = Store.open(new StoreRoots(dir.resolve("data"), dir.resolve("cache"), dir.resolve("library")),
        Clock.systemUTC());
    byte[] bytes = "model bytes".getBytes(StandardCharsets.UTF_8);
    Path userFile = Files.createDirectories(dir.resolve("library")).resolve("user.bin");
    Files.write(userFile, bytes);
    Files.setPosixFilePermissions(userFile, PosixFilePermissions.fromString("rw-r--r--"));
    Path link = store.downloadsDir().resolve(Hashing.sha256(bytes).hex());
    Files.createSymbolicLink(link, userFile);
    ModelFile f = new ModelFile(RelativePath.parse("m.bin"), bytes.length, Hashing.sha256(bytes),
        List.of(new SourceUri(URI.create("https://example.org/m.bin"))));

    assertThatThrownBy(() -> store.publishVerified(f, link))
        .isInstanceOf(StoreIOException.class)
        .hasMessageContaining("a symbolic link");

    assertThat(store.hasBlob(f.sha256())).isFalse();
    assertThat(Files.getPosixFilePermissions(userFile)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void aSecondNameOfAUsersFileIsNeverPublished() throws Exception {
    Store store = Store.open(new StoreRoots(dir.resolve("data"), dir.resolve("cache"), dir.resolve("library")),
        Clock.systemUTC());
    byte[] bytes = "model bytes".getBytes(StandardCharsets.UTF_8);
    Path userFile = Files.createDirectories(dir.resolve("cache/elsewhere")).resolve("user.bin");
    Files.write(userFile, bytes);
    Path hardLink = store.downloadsDir().resolve(Hashing.sha256(bytes).hex());
    Files.createLink(hardLink, userFile);
    ModelFile f = new ModelFile(RelativePath.parse("m.bin"), bytes.length, Hashing.sha256(bytes),
        List.of(new SourceUri(URI.create("https://example.org/m.bin"))));

    assertThatThrownBy(() -> store.publishVerified(f, hardLink)).hasMessageContaining("2 names (hard links)");

    assertThat(Files.getPosixFilePermissions(userFile)).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
