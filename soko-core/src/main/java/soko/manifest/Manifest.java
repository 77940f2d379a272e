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
 * <p>The wire format is {@link ManifestCodec}'s concern. Thread-safe (the collections are copied).
 *
 * @param name the model's name, such as {@code whisper-base}
 * @param version the model's version (semver); {@code name@version} identifies the model
 * @param description one paragraph for people, at most 4096 characters; may be empty
 * @param tasks what the model does, in the order the manifest lists them; empty in the "no task"
 *     state
 * @param engine the engine that runs the model and the versions it accepts
 * @param license the licence the model is distributed under
 * @param files the model's files, 1 to {@link #MAX_FILES}, whose paths differ ignoring case and
 *     none of which is another's folder
 * @param demo true for a demonstration model whose output must not be presented as a real result
 * @param annotations free-form key to value notes (at most 64; keys 1 to 128 characters, values at
 *     most 4096), such as where a converted model came from; empty when none
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

  /** The most files one model may have. */
  public static final int MAX_FILES = 10_000;

  /**
   * Checks the manifest and copies its collections.
   *
   * @throws IllegalArgumentException if the description is too long, there are no files or more
   *     than {@link #MAX_FILES}, or two file paths clash (the message names them)
   */
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

  /**
   * The model's size on disk.
   *
   * @return the sum of the file sizes, in bytes
   */
  public long totalSize() {
    long total = 0;
    for (ModelFile f : files) {
      total += f.size();
    }
    return total;
  }

  /**
   * The model's identity in messages and refs.
   *
   * @return {@code name@version}, such as {@code whisper-base@1.0.0}
   */
  public String id() {
    return name + "@" + version;
  }

  /**
   * Whether the model is in the "no task" state: installed and verifiable, but not runnable until
   * a task is given.
   *
   * @return true when {@link #tasks()} is empty
   */
  public boolean noTask() {
    return tasks.isEmpty();
  }

  /**
   * Whether the model can be installed with no network.
   *
   * @return true when every file has a {@code bundled:} source, a copy shipped inside Soko
   */
  public boolean bundled() {
    return files.stream().allMatch(ModelFile::bundled);
  }

  /**
   * Looks a file up by its path.
   *
   * @param path the file's path as the manifest writes it, compared exactly (case-sensitively)
   * @return the file, or empty when the model has no file with that path
   */
  public Optional<ModelFile> file(String path) {
    return files.stream().filter(f -> f.path().value().equals(path)).findFirst();
  }
}
