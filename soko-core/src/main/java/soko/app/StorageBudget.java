package soko.app;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many bytes installed models may take in the store: {@code 20GiB}, {@code 500MB},
 * {@code 1.5TiB}, or a plain number of bytes. Binary units (KiB, MiB, GiB, TiB) are powers of 1024,
 * decimal ones (KB, MB, GB, TB) of 1000; case and a space before the unit do not matter.
 * {@link #toString()} gives back the text it was parsed from, normalised, so it round-trips.
 *
 * @param bytes at least 1 MiB, at most 1 PiB
 * @param text the value as written in settings, such as {@code 20GiB}
 */
public record StorageBudget(long bytes, String text) {
  /** The smallest budget accepted: smaller is surely a typo (a unit forgotten). */
  public static final long MIN = 1L << 20;
  /** The largest budget accepted, 1 PiB. */
  public static final long MAX = 1L << 50;

  private static final Pattern FORM = Pattern.compile("(\\d{1,16})(?:\\.(\\d{1,3}))?\\s*([KMGT]i?B|B)?",
      Pattern.CASE_INSENSITIVE);

  /**
   * Checks the range.
   *
   * @param bytes the budget in bytes, {@link #MIN} to {@link #MAX}
   * @param text the value as written in settings
   * @throws IllegalArgumentException when {@code bytes} is out of range
   */
  public StorageBudget {
    if (bytes < MIN || bytes > MAX) {
      throw new IllegalArgumentException("budget out of range: " + bytes);
    }
  }

  /**
   * Parses a budget.
   *
   * @param text a size such as {@code 20GiB}, {@code 1.5 TB} or {@code 1048576}; surrounding spaces ignored
   * @return the budget, with its normalised text
   * @throws InvalidSettingException with what was wrong and an example of a good value
   */
  public static StorageBudget parse(String text) {
    String t = text.strip();
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new InvalidSettingException("the budget \"" + text + "\" is not a size: give a number and a unit, such as"
          + " 20GiB, 500MiB or 1.5TB");
    }
    String unit = m.group(3) == null ? "B" : m.group(3).toUpperCase(Locale.ROOT).replace("IB", "iB");
    long scale = switch (unit) {
      case "B" -> 1;
      case "KB" -> 1000L;
      case "MB" -> 1000L * 1000;
      case "GB" -> 1000L * 1000 * 1000;
      case "TB" -> 1000L * 1000 * 1000 * 1000;
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "TiB" -> 1L << 40;
      default -> throw new InvalidSettingException("unknown unit in the budget \"" + text + "\": use B, KiB, MiB, GiB,"
          + " TiB, KB, MB, GB or TB");
    };
    java.math.BigDecimal value = new java.math.BigDecimal(m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
    java.math.BigDecimal bytes = value.multiply(java.math.BigDecimal.valueOf(scale));
    if (bytes.compareTo(java.math.BigDecimal.valueOf(MIN)) < 0 || bytes.compareTo(java.math.BigDecimal.valueOf(MAX)) > 0) {
      throw new InvalidSettingException("the budget \"" + text + "\" is " + (bytes.compareTo(java.math.BigDecimal
          .valueOf(MIN)) < 0 ? "below 1 MiB" : "above 1 PiB") + ": give a size such as 20GiB");
    }
    return new StorageBudget(bytes.longValue(), m.group(1) + (m.group(2) == null ? "" : "." + m.group(2))
        + (m.group(3) == null ? "" : unit));
  }

  @Override
  public String toString() {
    return text;
  }
}
