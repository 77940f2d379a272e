package soko.manifest;

import java.util.regex.Pattern;

/**
 * A model's id: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at
 * most 64. Immutable and thread-safe.
 *
 * @param value the name, such as {@code whisper-base}; never contains {@code ..}
 */
public record ModelName(String value) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /**
   * Checks the name.
   *
   * @throws IllegalArgumentException if {@code value} is not of the form above
   */
  public ModelName {
    if (value == null || !NAME.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException(
          "a model name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, such as whisper-base");
    }
  }

  /**
   * Reads a model name.
   *
   * @param s the name, such as {@code whisper-base}
   * @return the name
   * @throws IllegalArgumentException if {@code s} is not a valid name (the message shows the form)
   */
  public static ModelName parse(String s) {
    return new ModelName(s);
  }

  @Override
  public String toString() {
    return value;
  }
}
