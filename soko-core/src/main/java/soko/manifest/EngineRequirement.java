package soko.manifest;

import java.util.regex.Pattern;

/**
 * The engine a model runs on, such as {@code onnxruntime} or {@code whisper.cpp}, and the versions it
 * accepts. Immutable and thread-safe.
 *
 * @param id the engine's id: 1 to 40 lower-case letters, digits, '.', '+', '_' or '-', starting with
 *     a letter or digit
 * @param versions the engine versions the model works with ({@link VersionRange#ANY} for any)
 */
public record EngineRequirement(String id, VersionRange versions) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.+_-]{0,39}");

  /**
   * Checks the id.
   *
   * @throws IllegalArgumentException if {@code id} is not of the form above
   */
  public EngineRequirement {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("an engine id is lower-case letters, digits, '.', '+', '_' or '-', such as onnxruntime");
    }
  }
}
