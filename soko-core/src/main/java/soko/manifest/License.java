package soko.manifest;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The licence a model is distributed under: an SPDX expression (such as {@code MIT} or
 * {@code CC-BY-4.0}), where to read it, and the attribution text a user interface must show.
 * Immutable and thread-safe.
 *
 * @param spdx an SPDX licence expression of at most 128 characters, such as {@code Apache-2.0} or
 *     {@code MIT OR Apache-2.0}
 * @param url where the licence text is: an {@code https:} (or {@code http:}) URL, or {@code
 *     bundled:PATH} for a text shipped with Soko
 * @param attribution the text a user interface must show with the model's output, at most 4096
 *     characters; empty when the licence asks for none
 */
public record License(String spdx, URI url, String attribution) {
  private static final Pattern SPDX = Pattern.compile("[A-Za-z0-9.+\\-]+(?:\\s+(?:AND|OR|WITH)\\s+[A-Za-z0-9.+\\-]+)*|\\(.{1,120}\\)");

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if {@code spdx} is not an SPDX expression, {@code url} has
   *     another scheme, or {@code attribution} is longer than 4096 characters
   */
  public License {
    if (spdx == null || spdx.length() > 128 || !SPDX.matcher(spdx).matches()) {
      throw new IllegalArgumentException("a licence is an SPDX expression such as MIT, Apache-2.0 or CC-BY-4.0");
    }
    if (url == null || url.getScheme() == null
        || !(url.getScheme().equals("https") || url.getScheme().equals("http") || url.getScheme().equals("bundled"))) {
      throw new IllegalArgumentException("a licence URL is an https: URL, or bundled:PATH for a text shipped with Soko");
    }
    if (attribution == null || attribution.length() > 4096) {
      throw new IllegalArgumentException("attribution text is at most 4096 characters");
    }
  }
}
