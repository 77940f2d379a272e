package soko.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;

/**
 * An installed model whose every file matched its manifest size and sha256 when the store handed
 * this out. It is the only way to give a model's file paths to an engine.
 *
 * <p>Only the store creates these (an architecture test enforces it): the store checks each file
 * against its verification record, and re-hashes any file whose size, modification time, change
 * time or file key moved since the last full hash.
 *
 * <p>Immutable and thread-safe. The files are read-only blobs; the handle does not keep them open.
 */
public final class VerifiedModel {
  private final Manifest manifest;
  private final Map<String, Path> files;
  private final Instant verifiedAt;
  private final StampCheck stamps;

  /** Tells, by {@code stat} only, which files are no longer the ones that were verified. */
  @FunctionalInterface
  public interface StampCheck {
    /**
     * Stats the files again.
     *
     * @return the manifest paths of files changed, replaced or gone since they were verified, in
     *     manifest order; empty when every file is as it was
     */
    List<String> changedFiles();
  }

  /**
   * For the store only (and engines' own tests): a model whose files are not watched, so {@link
   * #changedSinceVerified()} is always empty.
   *
   * @param manifest the model's manifest
   * @param files each manifest path mapped to the verified blob on disk; exactly the manifest's
   *     files (copied)
   * @param verifiedAt when the files were last checked
   * @throws IllegalArgumentException if {@code files} does not hold exactly the manifest's paths
   */
  public VerifiedModel(Manifest manifest, Map<String, Path> files, Instant verifiedAt) {
    this(manifest, files, verifiedAt, List::of);
  }

  /**
   * For the store only.
   *
   * @param manifest the model's manifest
   * @param files each manifest path mapped to the verified blob on disk; exactly the manifest's
   *     files (copied)
   * @param verifiedAt when the files were last checked
   * @param stamps compares the files with their {@code stat} at verification
   * @throws IllegalArgumentException if {@code files} does not hold exactly the manifest's paths
   */
  public VerifiedModel(Manifest manifest, Map<String, Path> files, Instant verifiedAt, StampCheck stamps) {
    for (ModelFile f : manifest.files()) {
      if (!files.containsKey(f.path().value())) {
        throw new IllegalArgumentException("no verified file for " + f.path());
      }
    }
    if (files.size() != manifest.files().size()) {
      throw new IllegalArgumentException("verified files do not match the manifest's files");
    }
    this.manifest = manifest;
    this.files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    this.verifiedAt = verifiedAt;
    this.stamps = stamps;
  }

  /**
   * The manifest paths of files that changed since this handle was made (size, modification or
   * change time, device or inode differ, or the file is gone), by one {@code stat} each. An engine
   * that opens the files again later, such as after its process crashed, asks first and refuses a
   * model with changed files: the verification covered the files as they were.
   *
   * @return the manifest paths of the changed files, in manifest order; empty when none changed
   */
  public List<String> changedSinceVerified() {
    return stamps.changedFiles();
  }

  /**
   * The manifest the files were verified against.
   *
   * @return the model's manifest
   */
  public Manifest manifest() {
    return manifest;
  }

  /**
   * The verified file for a manifest path.
   *
   * @param manifestPath a file's path as the manifest writes it, e.g. {@code weights/model.onnx}
   * @return the read-only blob holding that file
   * @throws IllegalArgumentException if the manifest has no file with that path
   */
  public Path file(String manifestPath) {
    Path p = files.get(manifestPath);
    if (p == null) {
      throw new IllegalArgumentException(manifest.id() + " has no file \"" + manifestPath + "\"; it has " + files.keySet());
    }
    return p;
  }

  /**
   * The first file, in manifest order, whose manifest path ends with {@code suffix}.
   *
   * @param suffix the end of the path, such as {@code ".onnx"}; compared case-sensitively
   * @return the blob holding that file, or empty when no path ends with {@code suffix}
   */
  public java.util.Optional<Path> fileEndingWith(String suffix) {
    return files.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue).findFirst();
  }

  /**
   * Every verified file.
   *
   * @return manifest path to verified blob, in manifest order; unmodifiable
   */
  public Map<String, Path> files() {
    return files;
  }

  /**
   * When the files were last checked against the manifest (hashed, or found unchanged by {@code
   * stat} since their last hash).
   *
   * @return the instant of that check
   */
  public Instant verifiedAt() {
    return verifiedAt;
  }

  @Override
  public String toString() {
    return "VerifiedModel[" + manifest.id() + ", verified " + verifiedAt + "]";
  }
}
