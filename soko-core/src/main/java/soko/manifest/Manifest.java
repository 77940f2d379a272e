package soko.manifest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model: what it is, what it does, which engine runs it, its licence, and its files with sizes
 * and sha256. Immutable; validated on construction, so every instance is a valid manifest.
 *
 * <p>A model with no tasks is in the "no task" state: it can be installed, listed, verified and
 * exported, but no engine is asked to run it (a ModelPack made by another tool whose task cannot be
 * told from its config, until the user names one).
 *
 * <p>The wire format is {@link ManifestCodec}'s concern.
 */
public record Manifest(
    ModelName name,
    Version version,
    String description,
    List<TaskSpec> tasks,
    EngineRequirement engine,
    License license,
    List<ModelFile> files,
    boolean demo,
    Map<String, String> annotations) {

  public static final int MAX_FILES = 10_000;

  public Manifest {
    if (description.length() > 4096) {
      throw new IllegalArgumentException("description is at most 4096 characters");
    }
    tasks = List.copyOf(tasks);
    files = List.copyOf(files);
    annotations = Map.copyOf(annotations);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one file");
    }
    if (files.size() > MAX_FILES) {
      throw new IllegalArgumentException("a model has at most " + MAX_FILES + " files");
    }
    String clash = pathClash(files);
    if (clash != null) {
      throw new IllegalArgumentException(clash);
    }
  }

  /**
   * The first clash between file paths, or null. Paths must differ ignoring case (and they are in NFC, so
   * also ignoring Unicode normalization), and no file may be another's folder.
   */
  static String pathClash(List<ModelFile> files) {
    Map<String, String> seen = new HashMap<>();
    for (ModelFile f : files) {
      String prev = seen.putIfAbsent(f.path().caseFoldKey(), f.path().value());
      if (prev != null && prev.equals(f.path().value())) {
        return "the path \"" + prev + "\" is listed twice (paths are compared in Unicode NFC, so an NFC and an NFD"
            + " spelling of one name, which macOS stores as one file, count as the same path)";
      }
      if (prev != null) {
        return "the paths \"" + prev + "\" and \"" + f.path().value() + "\" are the same file on case-insensitive disks";
      }
    }
    for (ModelFile f : files) {
      String key = f.path().caseFoldKey();
      int i = key.indexOf('/');
      while (i >= 0) {
        String folder = seen.get(key.substring(0, i));
        if (folder != null) {
          return "\"" + folder + "\" is a file, so \"" + f.path().value() + "\" cannot be inside it";
        }
        i = key.indexOf('/', i + 1);
      }
    }
    return null;
  }

  /** The sum of the file sizes. */
  public long totalSize() {
    long total = 0;
    for (ModelFile f : files) {
      total += f.size();
    }
    return total;
  }

  /** "name@version", the model's identity in messages and refs. */
  public String id() {
    return name + "@" + version;
  }

  /** True in the "no task" state: installed and verifiable, but not runnable until a task is given. */
  public boolean noTask() {
    return tasks.isEmpty();
  }

  /** True when every file can come from the copy shipped inside Soko. */
  public boolean bundled() {
    return files.stream().allMatch(ModelFile::bundled);
  }

  public Optional<ModelFile> file(String path) {
    return files.stream().filter(f -> f.path().value().equals(path)).findFirst();
  }
}
