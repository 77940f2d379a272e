package soko.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import soko.testkit.corpus.Corpus;

/**
 * The hostile corpora through the command line, as a user meets them: {@code soko install} on
 * every manifest of the corpus. Each ends with the case's exit code and one line on stderr holding
 * its message fragment, with no raw control character, no stack trace and no internal error; and
 * nothing is installed.
 */
class HostileCorpusTest {
  @TempDir
  static Path work;
  /** What @DIR@ stands for: holds a folder, a FIFO and a 2,327,524-byte file. */
  static Path dir;
  static boolean fifo;

  record Run(int code, byte[] out, byte[] err) {
    String errText() {
      return new String(err, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + new String(out, StandardCharsets.UTF_8) + "--- stderr\n" + errText();
    }
  }

  @BeforeAll
  static void prepare() throws Exception {
    dir = Files.createDirectories(work.resolve("dir"));
    Files.createDirectories(dir.resolve("folder"));
    byte[] big = new byte[2_327_524];
    new Random(1).nextBytes(big);
    Files.write(dir.resolve("big.bin"), big);
    fifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor() == 0;
  }

  /** Runs soko in this JVM with raw byte streams, apart from the test's thread: a hang fails the case. */
  static Run run(Path home, String... args) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      List<String> all = new ArrayList<>(List.of("--home", home.toString()));
      all.addAll(List.of(args));
      int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true, StandardCharsets.UTF_8),
          new PrintWriter(err, true, StandardCharsets.UTF_8));
      return new Run(code, out.toByteArray(), err.toByteArray());
    }).get(120, TimeUnit.SECONDS);
  }

  static void assertOneCleanLine(Run r, String fragment) {
    HostileOutputTest.assertNoRawControls(r.out(), "stdout");
    HostileOutputTest.assertNoRawControls(r.err(), "stderr");
    assertThat(r.errText().lines()).as(r.toString()).singleElement().asString()
        .startsWith("soko: ")
        .contains(fragment)
        .doesNotContain("internal error")
        .doesNotContain("\tat ");
  }

  static Stream<Corpus.Case> manifests() {
    return Corpus.manifests().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void installingAHostileManifestEndsWithItsExitCodeAndOneLine(Corpus.Case c) throws Exception {
    Assumptions.assumeTrue(fifo || !c.fragment().contains("@DIR@/fifo"), "skipped: mkfifo is not available here");
    Path home = work.resolve("home-manifests");
    Path file = c.writeTo(Files.createDirectories(work.resolve("manifests")), dir);

    Run r = run(home, "install", file.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(c.exit());
    assertOneCleanLine(r, c.fragment(dir));
    try (Stream<Path> blobs = Files.walk(home.resolve("data"))) {
      assertThat(blobs.filter(Files::isRegularFile).map(p -> home.relativize(p).toString()))
          .as("nothing installed").containsExactly("data/soko-store.json");
    }
  }

  // ---------------------------------------------------------------- catalogs

  static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  static final soko.catalog.SigningKey TRUSTED = soko.catalog.CatalogPublisher.generateKey();
  static final soko.catalog.SigningKey STRANGER = soko.catalog.CatalogPublisher.generateKey();

  static Stream<Corpus.Case> catalogs() {
    return Corpus.catalogs().stream();
  }

  /** What the source serves for a case: see the "how" column of the catalogs' cases.tsv. */
  static byte[] served(Corpus.Case c) throws Exception {
    byte[] file = c.bytes();
    return switch (c.column(2)) {
      case "sign" -> soko.testkit.corpus.Envelopes.sign(file, TRUSTED.privateKey(), TRUSTED.keyId());
      case "stranger" -> soko.testkit.corpus.Envelopes.sign(file, STRANGER.privateKey(), STRANGER.keyId());
      case "tamper" -> soko.testkit.corpus.Envelopes.tampered(file, TRUSTED.privateKey(), TRUSTED.keyId());
      case "shadow" -> soko.testkit.corpus.Envelopes.sign(shadowing(file), TRUSTED.privateKey(), TRUSTED.keyId());
      case "envelope" -> file;
      default -> throw new IllegalArgumentException(c + ": unknown way " + c.column(2));
    };
  }

  /** The document with the first downloadable model of the built-in catalog added, with another file. */
  static byte[] shadowing(byte[] document) throws Exception {
    soko.manifest.Manifest m = soko.catalog.BuiltinCatalog.load().models().stream().filter(x -> !x.bundled())
        .findFirst().orElseThrow();
    var model = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(soko.manifest.ManifestCodec.write(m));
    var file = (com.fasterxml.jackson.databind.node.ObjectNode) model.get("files").get(0);
    file.put("size", 10);
    file.put("sha256", "ab".repeat(32));
    model.remove("totalSize");
    var doc = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(document);
    ((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("models")).add(model);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogs")
  void updatingFromAHostileCatalogEndsWithItsExitCodeAndTheCatalogsStillList(Corpus.Case c) throws Exception {
    Path folder = Files.createDirectories(work.resolve("catalogs").resolve(c.name()));
    Path home = folder.resolve("home");
    soko.catalog.CatalogPublisher.writeKey(TRUSTED, folder.resolve("team.key"), folder.resolve("team.pub.json"), "corpus");
    Path servedFile = Files.write(folder.resolve("catalog.signed.json"), served(c));
    Run add = run(home, "catalog", "add", servedFile.toUri().toString(), "--id", "test.corpus", "--trust",
        folder.resolve("team.pub.json").toString());
    assertThat(add.code()).as(add.toString()).isZero();

    Run update = run(home, "catalog", "update");
    Run list = run(home, "catalog");

    assertThat(update.code()).as(update.toString()).isEqualTo(c.exit());
    if (c.exit() == 0) {
      assertThat(new String(update.out(), StandardCharsets.UTF_8)).contains(c.fragment());
      HostileOutputTest.assertNoRawControls(update.out(), "stdout");
    } else {
      assertOneCleanLine(update, c.fragment());
    }
    assertThat(list.code()).as("a refused catalog never breaks the others: " + list).isZero();
    HostileOutputTest.assertNoRawControls(list.out(), "catalog's stdout");
    HostileOutputTest.assertNoRawControls(list.err(), "catalog's stderr");
    if (c.exit() != 0) {
      assertThat(list.errText()).as("nothing was ever accepted from the source")
          .isEqualTo("soko: catalog test.corpus (" + servedFile.toUri() + ") was never fetched: run `soko catalog update`\n");
    }
  }

  // ---------------------------------------------------------------- WAV files

  static Stream<Corpus.Case> wavs() {
    return Corpus.wavs().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wavs")
  void vadOnAHostileWavFileEndsWithItsExitCodeAndOneLine(Corpus.Case c) throws Exception {
    Path home = work.resolve("home-wavs");
    if (!Files.exists(home.resolve("data/refs/silero-vad.json"))) {
      assertThat(run(home, "install", "silero-vad").code()).isZero();
    }
    Path folder = Files.createDirectories(work.resolve("wavs").resolve(c.name()));
    Path file;
    if (c.file().startsWith("generated:")) {
      var made = soko.testkit.corpus.GeneratedWavs.make(c, folder);
      Assumptions.assumeTrue(made.isPresent(), "skipped: this machine cannot make " + c.file());
      file = made.get();
    } else {
      file = c.writeTo(folder, folder);
    }

    Run r = run(home, "vad", file.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(c.exit());
    if (c.exit() == 0) {
      assertThat(r.errText()).isEmpty();
      assertThat(new String(r.out(), StandardCharsets.UTF_8)).contains(c.fragment());
      HostileOutputTest.assertNoRawControls(r.out(), "stdout");
    } else {
      assertOneCleanLine(r, c.fragment());
    }
  }
}
