package soko.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import soko.app.Bundles;
import soko.app.Consent;
import soko.app.Soko;
import soko.verification.Hashing;
import soko.verification.IntegrityException;

/**
 * Hostile bundles, each made at test time from a good one, each refused with one line, leaving
 * nothing installed, nothing staged, and the folders around the store unchanged.
 */
class HostileBundleTest {
  @TempDir
  static Path shared;
  static List<RawTar.Entry> good;
  static String manifestBlob;
  static String weightsBlob;
  static String configBlob;
  static byte[] index;

  @BeforeAll
  static void goodBundle() throws Exception {
    Soko a = BundleFixture.soko(shared.resolve("publisher"));
    a.install(BundleFixture.parse(BundleFixture.teamModelJson(shared.resolve("src"), "team-mt", "1.0.0", 3000, 7)), "file");
    Path tar = shared.resolve("good.tar");
    Bundles.ExportResult r = new Bundles(a).export(List.of("team-mt"), tar, false);
    good = RawTar.parse(tar);
    manifestBlob = "blobs/sha256/" + r.models().getFirst().manifestDigest().hex();
    index = entry(BundleFormat.INDEX_FILE).content();
    String m = new String(entry(manifestBlob).content(), StandardCharsets.UTF_8);
    configBlob = "blobs/sha256/" + between(m, "\"config\":{\"mediaType\":\"application/vnd.cncf.model.config.v1+json\",\"digest\":\"sha256:", "\"");
    weightsBlob = good.stream().map(RawTar.Entry::text).filter(n -> n.startsWith("blobs/sha256/"))
        .filter(n -> entry(n).content().length == 3000).findFirst().orElseThrow();
  }

  static String between(String s, String a, String b) {
    int i = s.indexOf(a) + a.length();
    return s.substring(i, s.indexOf(b, i));
  }

  static RawTar.Entry entry(String name) {
    return good.stream().filter(e -> e.text().equals(name)).findFirst().orElseThrow();
  }

  static List<RawTar.Entry> with(Function<List<RawTar.Entry>, List<RawTar.Entry>> change) {
    return change.apply(new ArrayList<>(good));
  }

  static List<RawTar.Entry> replacing(String name, RawTar.Entry by) {
    List<RawTar.Entry> out = new ArrayList<>();
    for (RawTar.Entry e : good) {
      out.add(e.text().equals(name) ? by : e);
    }
    return out;
  }

  static List<RawTar.Entry> adding(RawTar.Entry extra) {
    List<RawTar.Entry> out = new ArrayList<>(good);
    out.add(2, extra);
    return out;
  }

  static String goodManifest() {
    return new String(entry(manifestBlob).content(), StandardCharsets.UTF_8);
  }

  /** The good bundle with its manifest replaced by {@code manifest}, and index.json naming the new blob's digest and size. */
  static List<RawTar.Entry> withManifest(String manifest) {
    RawTar.Entry replacement = blob(manifest.getBytes(StandardCharsets.UTF_8));
    String newIndex = new String(index, StandardCharsets.UTF_8)
        .replace(manifestBlob.substring(13), replacement.text().substring(13))
        .replace("\"size\":" + entry(manifestBlob).content().length + ",", "\"size\":" + replacement.content().length + ",");
    return with(l -> {
      l.replaceAll(e -> e.text().equals(manifestBlob) ? replacement : e.text().equals("index.json")
          ? RawTar.Entry.file("index.json", newIndex.getBytes(StandardCharsets.UTF_8)) : e);
      return l;
    });
  }

  static byte[] tar(List<RawTar.Entry> entries) {
    return RawTar.write(entries, true);
  }

  static RawTar.Entry blob(byte[] content) {
    return RawTar.Entry.file("blobs/sha256/" + Hashing.sha256(content).hex(), content);
  }

  static String outside() {
    return shared.resolve("outside").toAbsolutePath().toString();
  }

  static Stream<Arguments> hostile() throws Exception {
    List<Arguments> cases = new ArrayList<>();
    byte[] goodBytes = tar(good);
    cases.add(Arguments.of("path traversal ../", tar(adding(RawTar.Entry.file("../pwned", "x".getBytes()))),
        "entry \"../pwned\" climbs out with \"..\"; refused"));
    cases.add(Arguments.of("traversal inside blobs/", tar(adding(RawTar.Entry.file("blobs/sha256/../../../pwned", "x".getBytes()))),
        "climbs out with \"..\"; refused"));
    cases.add(Arguments.of("absolute path", tar(adding(RawTar.Entry.file(outside() + "/pwned", "x".getBytes()))),
        "has an absolute path; refused"));
    cases.add(Arguments.of("symlink out of the store", tar(replacing(weightsBlob, RawTar.Entry.of(weightsBlob, '2', "/etc/passwd"))),
        "is a symbolic link (to \"/etc/passwd\"); a bundle holds plain files only"));
    cases.add(Arguments.of("hard link out", tar(replacing(weightsBlob, RawTar.Entry.of(weightsBlob, '1', "../../outside/secret"))),
        "is a hard link (to \"../../outside/secret\"); a bundle holds plain files only"));
    cases.add(Arguments.of("character device", tar(adding(RawTar.Entry.of("blobs/sha256/null", '3', ""))),
        "is a character device"));
    cases.add(Arguments.of("block device", tar(adding(RawTar.Entry.of("blobs/sha256/sda", '4', ""))), "is a block device"));
    cases.add(Arguments.of("FIFO", tar(adding(RawTar.Entry.of("blobs/sha256/fifo", '6', ""))), "is a FIFO"));
    cases.add(Arguments.of("duplicate entry", tar(adding(RawTar.Entry.file("index.json", index))),
        "has two entries named \"index.json\""));
    cases.add(Arguments.of("truncated in a blob", java.util.Arrays.copyOf(goodBytes, goodBytes.length - 1024 - 2048),
        "it is truncated"));
    cases.add(Arguments.of("no end-of-archive marker", RawTar.write(good, false),
        "without the end-of-archive marker; it is truncated"));
    cases.add(Arguments.of("huge declared size", tar(replacing(weightsBlob, entry(weightsBlob).declaring(077777777777L, false))),
        "declares 8589934591 bytes but only"));
    cases.add(Arguments.of("huge base-256 size", tar(replacing(weightsBlob, entry(weightsBlob).declaring(1L << 50, true))),
        "declares 1125899906842624 bytes but only"));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(new byte[64 * 1024 * 1024]); // a bomb: 64 MiB of zeros in about 64 KiB
    }
    cases.add(Arguments.of("gzip bomb", gz.toByteArray(), "is gzip-compressed; a bundle is a plain .tar"));
    cases.add(Arguments.of("index names a missing blob", tar(with(l -> {
      l.removeIf(e -> e.text().equals(weightsBlob));
      return l;
    })), "is not in the bundle; it is incomplete: export it again"));
    byte[] tampered = entry(weightsBlob).content().clone();
    tampered[100] ^= 1;
    cases.add(Arguments.of("content mismatches its name", tar(replacing(weightsBlob, RawTar.Entry.file(weightsBlob, tampered))),
        "the bundle is damaged or was altered: export it again"));
    cases.add(Arguments.of("manifest with the wrong media type", tar(withManifest(goodManifest()
        .replace("application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"))),
        "media type \"application/vnd.docker.distribution.manifest.v2+json\" is not application/vnd.oci.image.manifest.v1+json"));
    String nested = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:" + Hashing.sha256(index).hex()
        + "\",\"size\":" + index.length + "}]}";
    cases.add(Arguments.of("nested index loop", tar(with(l -> {
      l.replaceAll(e -> e.text().equals("index.json") ? RawTar.Entry.file("index.json", nested.getBytes(StandardCharsets.UTF_8)) : e);
      l.add(blob(index));
      return l;
    })), "names a nested index"));
    byte[] big = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    cases.add(Arguments.of("oversize index.json", tar(replacing("index.json", RawTar.Entry.file("index.json", big))),
        "entry \"index.json\" is 5242880 bytes; at most 4194304 are accepted for it"));
    RawTar.Entry latin1 = new RawTar.Entry(new byte[] {'b', 'l', 'o', 'b', 's', '/', (byte) 0xe9, 'v', 'i', 'l'}, '0', "",
        "x".getBytes(), 1, false, false);
    cases.add(Arguments.of("non-UTF-8 name", tar(adding(latin1)), "has a name that is not UTF-8 (626c6f62732fe976696c)"));
    cases.add(Arguments.of("an entry outside the layout", tar(adding(RawTar.Entry.file("install.sh", "rm -rf ~".getBytes()))),
        "has the entry \"install.sh\", which is not part of an OCI image layout"));
    cases.add(Arguments.of("a blob no manifest names", tar(adding(blob("stowaway".getBytes()))),
        "which no manifest names; refused"));
    cases.add(Arguments.of("pax header", tar(adding(RawTar.Entry.file("PaxHeaders/x", "30 path=../../outside/pwned\n".getBytes())
        .declaring(28, false)).stream().map(e -> e.text().equals("PaxHeaders/x")
            ? new RawTar.Entry(e.name(), 'x', "", e.content(), e.content().length, false, false) : e).toList()),
        "is a pax extended header"));
    cases.add(Arguments.of("GNU long name", tar(adding(new RawTar.Entry("././@LongLink".getBytes(), 'L', "", "../../pwned\0".getBytes(),
        12, false, false))), "is a GNU long-name header"));
    cases.add(Arguments.of("bad header checksum", tar(replacing(weightsBlob, entry(weightsBlob).withBadChecksum())),
        "header checksum at byte"));
    cases.add(Arguments.of("not a tar at all", "PK\u0003\u0004 a zip file, not a tar".repeat(40).getBytes(StandardCharsets.ISO_8859_1),
        "is not a tar archive"));
    byte[] trailing = java.util.Arrays.copyOf(goodBytes, goodBytes.length + 512);
    trailing[goodBytes.length + 7] = 'X';
    cases.add(Arguments.of("data after the end marker", trailing, "has data after its end-of-archive marker"));
    cases.add(Arguments.of("control character in a name", tar(adding(RawTar.Entry.file("blobs/\u001b[2Jevil", "x".getBytes()))),
        "has a control character or backslash in its name; refused"));
    cases.add(Arguments.of("a layer filepath climbing out", tar(withManifest(goodManifest()
        .replace("\"org.cncf.model.filepath\":\"weights.onnx\"", "\"org.cncf.model.filepath\":\"../../outside/weights.onnx\""))),
        "has the unsafe path \"../../outside/weights.onnx\", refused"));
    cases.add(Arguments.of("a folder entry with content", tar(adding(new RawTar.Entry("blobs/sha256/".getBytes(), '5', "", new byte[0],
        4096, false, false))), "folder entry \"blobs/sha256/\" declares 4096 bytes of content"));
    cases.add(Arguments.of("no index.json", tar(with(l -> {
      l.removeIf(e -> e.text().equals("index.json"));
      return l;
    })), "has no index.json"));
    cases.add(Arguments.of("a config that is not the manifest's", tar(replacing(configBlob,
        RawTar.Entry.file(configBlob, "{}".getBytes()))), "the bundle is damaged or was altered"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void isRefusedWithOneLineAndNothingWrittenOutsideTheStore(String what, byte[] bytes, String expected, @TempDir Path dir)
      throws Exception {
    Path outside = shared.resolve("outside");
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("secret"), "do not touch");
    Path tar = dir.resolve("evil.tar");
    Files.write(tar, bytes);
    Soko b = BundleFixture.offline(dir.resolve("home"));
    Map<String, String> before = tree(shared, dir);
    Map<String, String> storeBefore = tree(dir.resolve("home/data"), Path.of("/nonexistent"));
    Throwable t = catchThrowable(() -> new Bundles(b).importBundle(tar, true, Consent.REFUSE, BundleReader.Listener.NONE));
    assertThat(t).as(what).isInstanceOfAny(BundleException.class, IntegrityException.class);
    assertThat(t.getMessage()).as(what).contains(expected).doesNotContain("\n").contains(tar.toString());
    assertThat(tree(shared, dir)).as("the folders around the store are unchanged").isEqualTo(before);
    assertThat(Files.exists(dir.resolve("pwned"))).isFalse();
    assertThat(b.list()).as("nothing installed").isEmpty();
    Map<String, String> storeAfter = tree(dir.resolve("home/data"), Path.of("/nonexistent"));
    storeAfter.keySet().removeIf(k -> k.startsWith("locks/"));
    storeBefore.keySet().removeIf(k -> k.startsWith("locks/"));
    assertThat(storeAfter).as("nothing staged or published in the store").isEqualTo(storeBefore);
  }

  /** Every path under {@code root} except {@code skip}'s subtree, with its type and size (links not followed). */
  static Map<String, String> tree(Path root, Path skip) throws Exception {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (p.startsWith(skip) && !p.equals(root)) {
          continue;
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        out.put(root.relativize(p).toString(), (a.isSymbolicLink() ? "link" : a.isDirectory() ? "dir" : "file:" + a.size()));
      }
    }
    return out;
  }
}
