package soko.manifest;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver 2.0.0), ordered by semver precedence; build metadata is ignored in
 * ordering (so {@code compareTo} may return 0 for versions that are not {@code equals}). Immutable
 * and thread-safe.
 *
 * @param text the version as written, such as {@code 1.2.0-rc.1+build5}, at most 64 characters
 */
public record Version(String text) implements Comparable<Version> {
  private static final Pattern SEMVER = Pattern.compile(
      "(0|[1-9]\\d{0,9})\\.(0|[1-9]\\d{0,9})\\.(0|[1-9]\\d{0,9})"
          + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
          + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

  /**
   * Checks the version.
   *
   * @throws IllegalArgumentException if {@code text} is not semver {@code MAJOR.MINOR.PATCH[-pre][+build]}
   *     of at most 64 characters (each number at most 10 digits)
   */
  public Version {
    if (text == null || text.length() > 64 || !SEMVER.matcher(text).matches()) {
      throw new IllegalArgumentException("a version is semver MAJOR.MINOR.PATCH[-pre][+build], such as 1.2.0");
    }
  }

  /**
   * Reads a version.
   *
   * @param s such as {@code 1.2.0}
   * @return the version
   * @throws IllegalArgumentException if {@code s} is not a semver version
   */
  public static Version parse(String s) {
    return new Version(s);
  }

  private Matcher parts() {
    Matcher m = SEMVER.matcher(text);
    if (!m.matches()) {
      throw new IllegalStateException(text);
    }
    return m;
  }

  @Override
  public int compareTo(Version o) {
    Matcher a = parts();
    Matcher b = o.parts();
    for (int i = 1; i <= 3; i++) {
      int c = Long.compare(Long.parseLong(a.group(i)), Long.parseLong(b.group(i)));
      if (c != 0) {
        return c;
      }
    }
    String pa = a.group(4);
    String pb = b.group(4);
    if (pa == null || pb == null) {
      return pa == null ? (pb == null ? 0 : 1) : -1;
    }
    String[] xa = pa.split("\\.");
    String[] xb = pb.split("\\.");
    for (int i = 0; i < Math.min(xa.length, xb.length); i++) {
      boolean na = xa[i].chars().allMatch(Character::isDigit);
      boolean nb = xb[i].chars().allMatch(Character::isDigit);
      int c;
      if (na && nb) {
        c = new BigInteger(xa[i]).compareTo(new BigInteger(xb[i]));
      } else if (na != nb) {
        c = na ? -1 : 1;
      } else {
        c = xa[i].compareTo(xb[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(xa.length, xb.length);
  }

  /**
   * The version as written.
   *
   * @return {@link #text()}
   */
  @Override
  public String toString() {
    return text;
  }
}
