package soko.testkit.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hostile corpora: {@link #manifests()}, {@link #catalogs()} and {@link #wavs()}, each case a
 * committed file under {@code soko/testkit/corpus/<kind>/} and a line of that folder's {@code
 * cases.tsv} (tab-separated; {@code #} starts a comment) saying what Soko must answer: the exit code
 * of the command that reads it and a fragment of the one-line message. A case's file may hold the
 * placeholder {@code @DIR@}, which {@link Case#writeTo} replaces with a folder the test prepared.
 *
 * <p>Thread-safe; reads the class path on each call.
 */
public final class Corpus {
  private static final String ROOT = "soko/testkit/corpus/";

  private Corpus() {}

  /**
   * One case.
   *
   * @param kind {@code manifests}, {@code catalogs} or {@code wavs}
   * @param file the case's file name in its folder; for WAV files made at test time, {@code
   *     generated:NAME}
   * @param exit the exit code the command that reads it must end with
   * @param fragment a fragment of the one-line message, after @DIR@ is replaced
   * @param columns every column of its line, in order, for the columns particular to the corpus
   */
  public record Case(String kind, String file, int exit, String fragment, List<String> columns) {
    public Case {
      columns = List.copyOf(columns);
    }

    /** The case's name: its file name without the number and extension, such as {@code path-traversal}. */
    public String name() {
      String n = file.startsWith("generated:") ? file.substring("generated:".length()) : file;
      n = n.replaceFirst("^\\d+-", "");
      int dot = n.lastIndexOf('.');
      return dot < 0 ? n : n.substring(0, dot);
    }

    /** The column at {@code index} (0 is the file). */
    public String column(int index) {
      return columns.get(index);
    }

    /** The committed bytes of the case's file, as they are (with any @DIR@). */
    public byte[] bytes() {
      return read(ROOT + kind + "/" + file);
    }

    /** The case's file written into {@code folder} under its own name, with @DIR@ replaced by {@code dir}. */
    public Path writeTo(Path folder, Path dir) {
      try {
        return Files.write(folder.resolve(file), substitute(bytes(), dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The fragment with @DIR@ replaced by {@code dir}. */
    public String fragment(Path dir) {
      return fragment.replace("@DIR@", dir.toString());
    }

    @Override
    public String toString() {
      return kind + "/" + file;
    }
  }

  public static List<Case> manifests() {
    return cases("manifests");
  }

  public static List<Case> catalogs() {
    return cases("catalogs");
  }

  public static List<Case> wavs() {
    return cases("wavs");
  }

  /** The cases of one corpus, in the order of its cases.tsv. */
  static List<Case> cases(String kind) {
    String index = new String(read(ROOT + kind + "/cases.tsv"), StandardCharsets.UTF_8);
    List<Case> out = new ArrayList<>();
    for (String line : index.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> cols = Arrays.asList(line.split("\t", -1));
      if (cols.size() < 3) {
        throw new IllegalStateException(kind + "/cases.tsv: a line needs at least file, exit and fragment: " + line);
      }
      out.add(new Case(kind, cols.get(0), Integer.parseInt(cols.get(1)), cols.getLast(), cols));
    }
    return List.copyOf(out);
  }

  static byte[] substitute(byte[] bytes, Path dir) {
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    if (!s.contains("@DIR@")) {
      return bytes;
    }
    // A JSON string holds the path: escape what JSON needs escaped (backslashes on Windows).
    String path = new String(dir.toString().replace("\\", "\\\\").getBytes(StandardCharsets.UTF_8),
        StandardCharsets.ISO_8859_1);
    return s.replace("@DIR@", path).getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] read(String resource) {
    try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path; depend on soko-testkit");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
