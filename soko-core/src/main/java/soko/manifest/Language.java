package soko.manifest;

import java.util.regex.Pattern;

/** An ISO 639 language code in lower case, such as {@code ja}, {@code ko} or {@code en}. */
public record Language(String code) {
  private static final Pattern CODE = Pattern.compile("[a-z]{2,3}");
  public static final Language JA = new Language("ja");
  public static final Language KO = new Language("ko");
  public static final Language EN = new Language("en");

  public Language {
    if (code == null || !CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("a language is a 2- or 3-letter lower-case ISO 639 code such as ja, ko or en");
    }
  }

  public static Language parse(String code) {
    return new Language(code);
  }

  @Override
  public String toString() {
    return code;
  }
}
