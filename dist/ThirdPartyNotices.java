import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Writes THIRD-PARTY-NOTICES.txt and licenses/ for the distribution, from the dependency tree: the
 * output of {@code mvn dependency:list -DoutputAbsoluteArtifactFilename=true} for soko-cli's runtime
 * scope, each dependency's POM {@code <licenses>} (following {@code <parent>} in the local
 * repository when the POM has none), the LICENSE and NOTICE files inside each jar, the bundled
 * models' manifests, and the Java runtime's {@code release} file. Nothing is typed by hand except
 * dist/notices.properties (what the POMs do not say) and dist/licenses/ (texts the jars lack).
 *
 * <p>The output: THIRD-PARTY-NOTICES.txt (each component, its licence and where its texts are, and
 * every NOTICE file inline), licenses/Apache-2.0.txt, and licenses/COMPONENT/ with the files a jar
 * carries and the texts dist/licenses/ supplies.
 *
 * <p>Fails, naming the artifact, when a dependency declares no licence, a licence other than
 * Apache-2.0 or MIT (add it knowingly), or an MIT licence whose text (with its copyright line) is
 * neither in its jar nor in dist/licenses/.
 *
 * <pre>java dist/ThirdPartyNotices.java DEPS.txt APP_LIB_DIR RUNTIME_DIR DIST_DIR OUT_DIR VERSION</pre>
 */
public final class ThirdPartyNotices {
  private ThirdPartyNotices() {}

  private static final String OWN_GROUP = "dev.soko";
  private static final Pattern DEP = Pattern.compile(
      "^\\s*([^:\\s]+):([^:\\s]+):([^:\\s]+)(?::([^:\\s]+))?:([^:\\s]+):(compile|runtime|provided|system|test):(/[^\\s]+)");

  record Artifact(String group, String artifact, String version, Path jar) {
    String key() { return group + "/" + artifact; }
    String gav() { return group + ":" + artifact + ":" + version; }
  }

  record Licence(String name, String url, String spdx) {}

  record Pom(String name, String url, List<Licence> licences) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: java dist/ThirdPartyNotices.java DEPS.txt APP_LIB_DIR RUNTIME_DIR DIST_DIR OUT_DIR VERSION");
      System.exit(2);
    }
    Path deps = Path.of(args[0]);
    Path lib = Path.of(args[1]);
    Path runtime = Path.of(args[2]);
    Path dist = Path.of(args[3]);
    Path out = Path.of(args[4]);
    String version = args[5];
    Properties extra = new Properties();
    try (Reader r = Files.newBufferedReader(dist.resolve("notices.properties"))) {
      extra.load(r);
    }
    Path licences = Files.createDirectories(out.resolve("licenses"));
    List<String> problems = new ArrayList<>();
    StringBuilder s = new StringBuilder();
    s.append("Soko ").append(version).append(": third-party notices\n\n");
    s.append("Generated at build time by dist/ThirdPartyNotices.java from the runtime dependencies of soko-cli\n");
    s.append("(mvn dependency:list), each dependency's POM <licenses>, the LICENSE and NOTICE files in the jars,\n");
    s.append("the manifests of the bundled models and the Java runtime's release file. Licence texts are in\n");
    s.append("licenses/ beside this file; the Java runtime's are in runtime/legal/.\n");

    // 1. The Java runtime.
    Map<String, String> release = readRelease(runtime.resolve("release"));
    s.append("\n\n== 1. The Java runtime (runtime/) ==\n\n");
    s.append("OpenJDK ").append(release.getOrDefault("JAVA_RUNTIME_VERSION", release.getOrDefault("JAVA_VERSION", "?")))
        .append(", built by ").append(release.getOrDefault("IMPLEMENTOR", "?"))
        .append(", reduced with jlink to the modules ").append(release.getOrDefault("MODULES", "?").replace(' ', ',')).append(".\n");
    s.append("Licence: GNU General Public License, version 2, with the Classpath Exception\n");
    s.append("(SPDX: GPL-2.0-only WITH Classpath-exception-2.0).\n");
    s.append("Texts: runtime/legal/java.base/LICENSE, runtime/legal/java.base/ASSEMBLY_EXCEPTION and\n");
    s.append("runtime/legal/java.base/ADDITIONAL_LICENSE_INFO; the notices of the libraries inside the runtime\n");
    s.append("are the other files under runtime/legal/<module>/.\n");
    if (!Files.isRegularFile(runtime.resolve("legal/java.base/LICENSE"))) {
      problems.add("the runtime has no legal/java.base/LICENSE: was it linked without its legal files?");
    }

    // 2. Libraries.
    s.append("\n\n== 2. Libraries (app/lib/) ==\n");
    List<Artifact> artifacts = readDependencies(deps);
    Path repo = null;
    for (Artifact a : artifacts) {
      if (a.group().equals(OWN_GROUP)) {
        continue;
      }
      repo = repo != null ? repo : repositoryRoot(a);
      Path jar = lib.resolve(a.jar().getFileName());
      if (!Files.isRegularFile(jar)) {
        problems.add(a.gav() + " is a runtime dependency but " + jar + " is not in the distribution");
        continue;
      }
      Pom pom = readPom(repo, a.group(), a.artifact(), a.version());
      s.append("\n").append(pom.name().isEmpty() ? a.artifact() : pom.name()).append(' ').append(a.version())
          .append("  (").append(a.gav()).append(", app/lib/").append(jar.getFileName()).append(")\n");
      if (!pom.url().isEmpty()) {
        s.append("  ").append(pom.url()).append('\n');
      }
      if (pom.licences().isEmpty()) {
        problems.add(a.gav() + " declares no <licenses> in its POM or its parents: find its licence and add it to dist/notices.properties");
      }
      Map<String, byte[]> inJar = licenceFiles(jar);
      Path own = licences.resolve(a.artifact());
      for (Licence l : pom.licences()) {
        s.append("  Licence: ").append(l.name()).append(l.url().isEmpty() ? "" : " <" + l.url() + ">")
            .append(" (SPDX: ").append(l.spdx().isEmpty() ? "unknown" : l.spdx()).append(")\n");
        switch (l.spdx()) {
          case "Apache-2.0" -> {
            copy(dist.resolve("licenses/Apache-2.0.txt"), licences.resolve("Apache-2.0.txt"));
            s.append("  Text: licenses/Apache-2.0.txt\n");
          }
          case "MIT" -> {
            boolean carried = inJar.keySet().stream().anyMatch(n -> n.matches("(?i)(META-INF/)?LICEN[CS]E(\\.txt|\\.md)?"));
            String named = extra.getProperty("text." + a.key(), "");
            if (!carried && named.isEmpty()) {
              problems.add(a.gav() + " is MIT-licensed but neither its jar nor dist/licenses/ has the text with its copyright line: "
                  + "add it to dist/licenses/ and name it as text." + a.key() + " in dist/notices.properties");
            } else if (!carried) {
              copy(dist.resolve("licenses").resolve(named), Files.createDirectories(own).resolve("LICENSE"));
              s.append("  Text: licenses/").append(a.artifact()).append("/LICENSE\n");
            }
          }
          default -> problems.add(a.gav() + " is under " + l.name() + " <" + l.url() + ">, which the distribution does not yet carry: "
              + "check that it allows redistribution, then teach dist/ThirdPartyNotices.java its SPDX id and text");
        }
      }
      for (Map.Entry<String, byte[]> e : inJar.entrySet()) {
        String file = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
        Files.write(Files.createDirectories(own).resolve(file), e.getValue());
        s.append("  From the jar: licenses/").append(a.artifact()).append('/').append(file).append('\n');
      }
      for (Map.Entry<String, byte[]> e : inJar.entrySet()) {
        if (e.getKey().matches("(?i)(META-INF/)?NOTICE(\\.txt|\\.md)?")) {
          s.append("  NOTICE (").append(e.getKey()).append(" in the jar):\n");
          for (String line : new String(e.getValue(), StandardCharsets.UTF_8).strip().split("\\R")) {
            s.append("  | ").append(line).append('\n');
          }
        }
      }
      for (String bundle : list(extra.getProperty("bundles." + a.key(), ""), ";;")) {
        String[] f = bundle.split("\\s*\\|\\s*");
        if (f.length != 3) {
          problems.add("dist/notices.properties: bundles." + a.key() + " must be 'name | SPDX | file', not " + bundle);
          continue;
        }
        copy(dist.resolve("licenses").resolve(f[2]), Files.createDirectories(own).resolve(f[2]));
        s.append("  Includes ").append(f[0]).append(": ").append(f[1]).append(", licenses/").append(a.artifact())
            .append('/').append(f[2]).append('\n');
      }
    }

    // 3. Bundled models.
    s.append("\n\n== 3. Models bundled in soko-core (installed by `soko install NAME`, never downloaded) ==\n");
    Path core = Files.list(lib).filter(p -> p.getFileName().toString().startsWith("soko-core-")).findFirst()
        .orElseThrow(() -> new IOException("no soko-core jar in " + lib));
    try (ZipFile zip = new ZipFile(core.toFile())) {
      for (String name : text(zip, "soko/bundled/index.txt").strip().split("\\R")) {
        String manifest = text(zip, "soko/bundled/" + name.strip() + "/manifest.json");
        String spdx = field(manifest, "spdx");
        String attribution = field(manifest, "attribution");
        String file = name.strip() + "/LICENSE";
        Files.writeString(Files.createDirectories(licences.resolve(name.strip())).resolve("LICENSE"),
            text(zip, "soko/bundled/" + name.strip() + "/LICENSE"));
        s.append("\n").append(name.strip()).append(' ').append(field(manifest, "version")).append('\n');
        s.append("  Licence: ").append(spdx).append(attribution.isEmpty() ? "" : "; " + attribution).append('\n');
        s.append("  Text: licenses/").append(file).append('\n');
      }
    }

    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("ThirdPartyNotices: " + p));
      System.exit(1);
    }
    Files.writeString(out.resolve("THIRD-PARTY-NOTICES.txt"), s.toString());
    System.out.println("ThirdPartyNotices: " + artifacts.stream().filter(a -> !a.group().equals(OWN_GROUP)).count()
        + " third-party libraries, " + countFiles(licences) + " files in licenses/");
  }

  static long countFiles(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  static List<Artifact> readDependencies(Path file) throws IOException {
    List<Artifact> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = DEP.matcher(line);
      if (m.find()) {
        // G:A:type[:classifier]:version:scope:path
        out.add(new Artifact(m.group(1), m.group(2), m.group(5), Path.of(m.group(7))));
      }
    }
    if (out.isEmpty()) {
      throw new IOException(file + " lists no dependencies: is it the output of dependency:list -DoutputAbsoluteArtifactFilename=true?");
    }
    return out;
  }

  /** The local repository, from a jar's path: REPO/g/r/o/u/p/artifact/version/artifact-version.jar. */
  static Path repositoryRoot(Artifact a) {
    Path p = a.jar();
    int up = a.group().split("\\.").length + 3;
    for (int i = 0; i < up; i++) {
      p = p.getParent();
    }
    return p;
  }

  static Pom readPom(Path repo, String group, String artifact, String version) throws Exception {
    Path file = repo.resolve(group.replace('.', '/')).resolve(artifact).resolve(version).resolve(artifact + "-" + version + ".pom");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setExpandEntityReferences(false);
    Document d = f.newDocumentBuilder().parse(file.toFile());
    Element root = d.getDocumentElement();
    String name = childText(root, "name");
    String url = childText(root, "url");
    List<Licence> licences = new ArrayList<>();
    Element ls = child(root, "licenses");
    if (ls != null) {
      NodeList nodes = ls.getChildNodes();
      for (int i = 0; i < nodes.getLength(); i++) {
        if (nodes.item(i) instanceof Element l && l.getTagName().equals("license")) {
          String n = childText(l, "name");
          String u = childText(l, "url");
          licences.add(new Licence(n, u, spdx(n, u)));
        }
      }
    }
    Element parent = child(root, "parent");
    if (licences.isEmpty() && parent != null) {
      Pom p = readPom(repo, childText(parent, "groupId"), childText(parent, "artifactId"), childText(parent, "version"));
      licences = p.licences();
      url = url.isEmpty() ? p.url() : url;
    }
    return new Pom(name.contains("${") ? artifact : name, url.contains("${") ? "" : url, licences);
  }

  static String spdx(String name, String url) {
    String n = (name + " " + url).toLowerCase(Locale.ROOT);
    if (n.contains("apache") && n.contains("2.0")) {
      return "Apache-2.0";
    }
    if (name.strip().equalsIgnoreCase("MIT") || n.contains("mit license") || n.contains("licenses/mit")) {
      return "MIT";
    }
    return "";
  }

  static Map<String, byte[]> licenceFiles(Path jar) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        String n = e.getName();
        // LICENSE, NOTICE and the like at the top or in META-INF (FastDoubleParser-LICENSE, ThirdPartyNotices.txt).
        if (!e.isDirectory() && n.matches("(?i)(META-INF/)?[^/]*(LICEN[CS]E|NOTICE)[^/]*") && !n.endsWith(".class")) {
          try (InputStream in = zip.getInputStream(e)) {
            out.put(n, in.readAllBytes());
          }
        }
      }
    }
    return out;
  }

  static String text(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new IOException(zip.getName() + " has no " + name);
    }
    try (InputStream in = zip.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A string field of our own bundled manifest (a trusted file of the build). */
  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return m.find() ? m.group(1) : "";
  }

  static Map<String, String> readRelease(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^\"|\"$", ""));
      }
    }
    return out;
  }

  static List<String> list(String value, String separator) {
    List<String> out = new ArrayList<>();
    for (String s : value.split(Pattern.quote(separator))) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static Element child(Element parent, String tag) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    return null;
  }

  static String childText(Element parent, String tag) {
    Element e = child(parent, tag);
    return e == null ? "" : e.getTextContent().strip().replaceAll("\\s+", " ");
  }
}
