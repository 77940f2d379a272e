package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.manifest.Manifest;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Layers made by GNU tar itself (ustar, pax and gnu formats, long names, folders, links, a FIFO),
 * unpacked by {@link LayerArchive}; and a ModelPack whose config lists the wrong DiffID.
 */
class LayerArchiveTest {
  @TempDir
  Path dir;

  private static void run(Path cwd, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static boolean hasTar() {
    try {
      return new ProcessBuilder("tar", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Makes {@code src/} with files, and tars it with GNU tar in {@code format}; returns the archive. */
  private Path tarOf(String format, Map<String, byte[]> files, String... extraArgs) throws Exception {
    assumeTrue(hasTar(), "GNU tar is not installed");
    Path src = Files.createDirectories(dir.resolve("src-" + format));
    for (var e : files.entrySet()) {
      Path f = src.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue());
    }
    Path out = dir.resolve(format + ".tar");
    List<String> cmd = new ArrayList<>(List.of("tar", "--format=" + format, "--sort=name", "-cf", out.toString()));
    cmd.addAll(List.of(extraArgs));
    cmd.add(".");
    run(src, cmd.toArray(String[]::new));
    return out;
  }

  private Path staging(String name) throws IOException {
    return Files.createDirectories(dir.resolve("staging-" + name));
  }

  @Test
  void gnuTarInEachFormatUnpacksWithEveryFileHashedAndTheDiffIdOfTheStream() throws Exception {
    String longName = "deep/" + "n".repeat(120) + "/weights.bin";
    byte[] weights = new byte[70_000];
    new Random(3).nextBytes(weights);
    for (String format : List.of("ustar", "pax", "gnu")) {
      Map<String, byte[]> files = format.equals("ustar") ? Map.of("model/weights.bin", weights, "README.md", "hi\n".getBytes(StandardCharsets.UTF_8))
          : Map.of(longName, weights, "README.md", "hi\n".getBytes(StandardCharsets.UTF_8), "日本語/説明.txt", "ja".getBytes(StandardCharsets.UTF_8));
      Path tar = tarOf(format, files);

      LayerArchive.Contents c = LayerArchive.unpack(tar, false, staging(format), Files.size(tar), "layer " + format);

      assertThat(c.diffId()).as(format).isEqualTo(Hashing.sha256(Files.readAllBytes(tar)));
      assertThat(c.unpackedBytes()).isEqualTo(Files.size(tar));
      assertThat(c.files()).as(format).hasSize(files.size());
      for (LayerArchive.Entry e : c.files()) {
        byte[] expected = files.get(e.path().value());
        assertThat(expected).as(format + " " + e.path()).isNotNull();
        assertThat(e.sha256()).isEqualTo(Hashing.sha256(expected));
        assertThat(Files.readAllBytes(e.staged())).isEqualTo(expected);
        assertThat(e.staged().getParent()).isEqualTo(dir.resolve("staging-" + format));
      }
    }
  }

  @Test
  void gzipLayersAreHashedUncompressed() throws Exception {
    Path tar = tarOf("pax", Map.of("a.txt", "aaaa".getBytes(StandardCharsets.UTF_8)));
    byte[] plain = Files.readAllBytes(tar);
    run(dir, "gzip", "-k", "-n", tar.toString());

    LayerArchive.Contents c = LayerArchive.unpack(dir.resolve("pax.tar.gz"), true, staging("gz"), 1 << 20, "gz");

    assertThat(c.diffId()).isEqualTo(Hashing.sha256(plain));
    assertThat(c.files()).singleElement().satisfies(e -> assertThat(e.path().value()).isEqualTo("a.txt"));
  }

  @Test
  void linksAndFifosFromGnuTarAreRefused() throws Exception {
    assumeTrue(hasTar(), "GNU tar is not installed");
    Path src = Files.createDirectories(dir.resolve("links"));
    Files.writeString(src.resolve("real.bin"), "x");
    Files.createSymbolicLink(src.resolve("sym.bin"), Path.of("/etc/hostname"));
    run(src, "tar", "-cf", dir.resolve("sym.tar").toString(), "sym.bin");
    Files.createLink(src.resolve("hard.bin"), src.resolve("real.bin"));
    run(src, "tar", "-cf", dir.resolve("hard.tar").toString(), "real.bin", "hard.bin");
    run(src, "mkfifo", "pipe");
    run(src, "tar", "-cf", dir.resolve("fifo.tar").toString(), "pipe");

    assertThatThrownBy(() -> LayerArchive.unpack(dir.resolve("sym.tar"), false, staging("s"), 1 << 20, "L"))
        .isInstanceOf(OciFormatException.class).hasMessage("L holds a symbolic link \"sym.bin\" -> \"/etc/hostname\"; Soko unpacks"
            + " only regular files and folders, so the layer is refused");
    assertThatThrownBy(() -> LayerArchive.unpack(dir.resolve("hard.tar"), false, staging("h"), 1 << 20, "L"))
        .isInstanceOf(OciFormatException.class).hasMessageStartingWith("L holds a hard link \"hard.bin\" -> \"real.bin\"");
    assertThatThrownBy(() -> LayerArchive.unpack(dir.resolve("fifo.tar"), false, staging("f"), 1 << 20, "L"))
        .isInstanceOf(OciFormatException.class).hasMessageStartingWith("L holds \"pipe\" of tar type '6'");
  }

  @Test
  void aDamagedHeaderATruncatedArchiveAndAPlainFileAreRefused() throws Exception {
    Path tar = tarOf("ustar", Map.of("a.bin", new byte[2000]));
    byte[] bytes = Files.readAllBytes(tar);
    byte[] damaged = bytes.clone();
    damaged[10] ^= 1; // inside the name: the checksum no longer adds up
    Files.write(dir.resolve("damaged.tar"), damaged);
    Files.write(dir.resolve("cut.tar"), java.util.Arrays.copyOf(bytes, 512 * 3 + 100));
    Files.writeString(dir.resolve("text.tar"), "not a tar archive at all".repeat(40));

    assertThatThrownBy(() -> LayerArchive.unpack(dir.resolve("damaged.tar"), false, staging("d"), 1 << 20, "L"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("checksum is wrong");
    assertThatThrownBy(() -> LayerArchive.unpack(dir.resolve("cut.tar"), false, staging("c"), 1 << 20, "L"))
        .isInstanceOf(OciFormatException.class).hasMessageStartingWith("L is truncated");
    assertThatThrownBy(() -> LayerArchive.unpack(dir.resolve("text.tar"), false, staging("t"), 1 << 20, "L"))
        .isInstanceOf(OciFormatException.class).hasMessageContaining("not a tar archive");
  }

  @Test
  void theByteLimitStopsAPlainTarLargerThanItsBlobWouldBe() throws Exception {
    Path tar = tarOf("ustar", Map.of("a.bin", new byte[100_000]));

    assertThatThrownBy(() -> LayerArchive.unpack(tar, false, staging("limit"), 50_000, "L"))
        .isInstanceOf(OciFormatException.class)
        .hasMessage("L unpacks to more than 50000 bytes, over the limit for one layer (free space in the cache, or the configured"
            + " maximum); refused");
    try (Stream<Path> s = Files.list(dir.resolve("staging-limit"))) {
      assertThat(s.mapToLong(p -> p.toFile().length()).sum()).isLessThanOrEqualTo(50_000);
    }
    assertThat(LayerArchive.limit(1000, false, 1L << 40)).isEqualTo(1000);
    assertThat(LayerArchive.limit(1000, true, 1L << 40)).isEqualTo(100_000 + (16L << 20));
    assertThat(LayerArchive.limit(1000, true, 5000)).isEqualTo(5000);
  }

  @Test
  void aConfigDiffIdThatDoesNotMatchTheUnpackedStreamIsRefused() throws Exception {
    Path tar = tarOf("pax", Map.of("w.bin", "weights".getBytes(StandardCharsets.UTF_8)));
    byte[] layer = Files.readAllBytes(tar);
    Digest layerDigest = Hashing.sha256(layer);
    byte[] config = ("{\"descriptor\":{\"name\":\"m\",\"version\":\"1.0.0\"},\"config\":{\"format\":\"onnx\"},\"modelfs\":"
        + "{\"type\":\"layers\",\"diffIds\":[\"sha256:" + "1".repeat(64) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\""
        + ModelPack.ARTIFACT_TYPE + "\",\"config\":{\"mediaType\":\"" + ModelPack.CONFIG_TYPE + "\",\"digest\":\"" + Hashing.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"" + ModelPack.WEIGHT_TAR + "\",\"digest\":\"" + layerDigest
        + "\",\"size\":" + layer.length + ",\"annotations\":{\"org.cncf.model.filepath\":\"w.bin\"}}]}").getBytes(StandardCharsets.UTF_8);
    PulledManifest pulled = ModelPack.read(manifest, Hashing.sha256(manifest), config, OciReference.parse("r.example/m:1.0.0"));
    assertThat(pulled.packedLayers()).hasSize(1);
    assertThatThrownBy(pulled::model).isInstanceOf(IllegalStateException.class);
    Manifest transfer = pulled.transfer();
    assertThat(transfer.files()).singleElement().satisfies(f -> assertThat(f.sha256()).isEqualTo(layerDigest));
    LayerArchive.Contents c = LayerArchive.unpack(tar, false, staging("diff"), layer.length, "L");

    assertThatThrownBy(() -> pulled.complete(Map.of(layerDigest, c), Optional.empty()))
        .isInstanceOf(OciFormatException.class)
        .hasMessageContaining("unpacks to a tar stream hashing to " + Hashing.sha256(layer) + " but the config's modelfs.diffIds says sha256:"
            + "1".repeat(64));
  }
}
