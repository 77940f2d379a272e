package soko.manifest;

import java.util.regex.Pattern;

/**
 * An ISO 639 language code in lower case, such as {@code ja}, {@code ko} or {@code en}. Immutable and
 * thread-safe.
 *
 * @param code 2 or 3 lower-case ASCII letters; not checked against the ISO list
 */
public record Language(String code) {
  private static final Pattern CODE = Pattern.compile("[a-z]{2,3}");
  /** Japanese. */
  public static final Language JA = new Language("ja");
  /** Korean. */
  public static final Language KO = new Language("ko");
  /** English. */
  public static final Language EN = new Language("en");

  /**
   * Checks the code.
   *
   * @throws IllegalArgumentException if {@code code} is not 2 or 3 lower-case letters
   */
  public Language {
    if (code == null || !CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("a language is a 2- or 3-letter lower-case ISO 639 code such as ja, ko or en");
    }
  }

  /**
   * Reads a language code.
   *
   * @param code 2 or 3 lower-case letters, such as {@code ja}
   * @return the language
   * @throws IllegalArgumentException if {@code code} is not 2 or 3 lower-case letters
   */
  public static Language parse(String code) {
    return new Language(code);
  }

  /**
   * The code, as {@link #parse} reads it.
   *
   * @return the code, such as {@code ja}
   */
  @Override
  public String toString() {
    return code;
  }
}
