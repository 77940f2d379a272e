package soko.manifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a file's bytes can be fetched. The bytes are trusted only after their size and sha256
 * match the manifest, so any source may be tried.
 *
 * <ul>
 *   <li>{@code bundled:NAME/FILE}: shipped inside Soko;
 *   <li>{@code file:/abs/path} or {@code file:///abs/path}: a local file, such as a USB stick or a
 *       mounted network share ({@code file://host/…} is refused: Soko reads only this computer's files);
 *   <li>{@code https://host/...} or {@code http://host/...}: a mirror (plain http is for LAN mirrors);
 *   <li>{@code oci://REGISTRY/REPOSITORY@sha256:HEX}: one blob of an OCI registry, addressed by its digest.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param uri the source, of one of the forms above, at most {@link #MAX_LENGTH} characters
 */
public record SourceUri(URI uri) {
  /** The longest URI, in characters. */
  public static final int MAX_LENGTH = 2048;

  /** The kind of source, by its scheme. */
  public enum Kind {
    /** {@code bundled:}: shipped inside Soko. */
    BUNDLED,
    /** {@code file:}: a file on this computer. */
    FILE,
    /** {@code https:} or {@code http:}: a web server or mirror. */
    HTTP,
    /** {@code oci:}: a blob of an OCI registry. */
    OCI
  }

  private static final java.util.regex.Pattern OCI_PATH = java.util.regex.Pattern.compile(
      "/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*@sha256:[0-9a-f]{64}");

  /**
   * Checks the URI.
   *
   * @throws IllegalArgumentException if the scheme is not one of the above, or the URI is not of
   *     its scheme's form (such as a {@code file:} URI with a host, or an {@code oci:} URI without a
   *     digest)
   */
  public SourceUri {
    String why = problem(uri);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
  }

  /**
   * Reads a source.
   *
   * @param s the URI text, at most {@link #MAX_LENGTH} characters
   * @return the source
   * @throws IllegalArgumentException if {@code s} is too long, not a URI, or not a supported source
   */
  public static SourceUri parse(String s) {
    if (s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the URI has " + s.length() + " characters; at most " + MAX_LENGTH);
    }
    try {
      return new SourceUri(new URI(s));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + e.getReason());
    }
  }

  private static String problem(URI uri) {
    if (uri == null || uri.getScheme() == null) {
      return "a source needs a scheme: bundled:, file:, https: or http:";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "bundled" -> {
        String ssp = uri.getSchemeSpecificPart();
        String p = RelativePath.problem(ssp);
        return p == null ? null : "a bundled: source names a path inside Soko: " + p;
      }
      case "file" -> {
        if (uri.getRawAuthority() != null) {
          return "a file: source names a file on this computer, like file:/media/usb/model.bin or"
              + " file:///media/usb/model.bin; file://" + uri.getRawAuthority() + "/… names another computer, which"
              + " Soko cannot read: mount the share and give its local path";
        }
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
          return "a file: source needs an absolute path, like file:/media/usb/model.bin";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
          return "a file: source has no query or fragment";
        }
        String path = uri.getPath();
        for (int i = 0; i < path.length(); ) {
          int c = path.codePointAt(i);
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Characters.invisible(c)
              || Characters.loneSurrogate(path, i)) {
            return "a file: source's path has the control or invisible character " + Characters.codePoint(c)
                + " (percent-encoded in the URI); name a plain file path";
          }
          i += Character.charCount(c);
        }
        return null;
      }
      case "https", "http" -> {
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
          return "an " + scheme + ": source needs a host";
        }
        if (uri.getRawUserInfo() != null) {
          return "an " + scheme + ": source must not carry credentials in the URL";
        }
        if (uri.getRawFragment() != null) {
          return "an " + scheme + ": source has no fragment";
        }
        return null;
      }
      case "oci" -> {
        if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null) {
          return "an oci: source needs a registry host and no credentials, like oci://ghcr.io/org/model@sha256:<hex>";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getPath() == null
            || !OCI_PATH.matcher(uri.getPath()).matches()) {
          return "an oci: source names a repository and a blob digest, like oci://ghcr.io/org/model@sha256:<64 hex>";
        }
        return null;
      }
      default -> {
        return "unsupported scheme \"" + scheme + ":\"; use bundled:, file:, https: or http:";
      }
    }
  }

  /**
   * The kind of source.
   *
   * @return the kind its scheme names
   */
  public Kind kind() {
    return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
      case "bundled" -> Kind.BUNDLED;
      case "file" -> Kind.FILE;
      case "oci" -> Kind.OCI;
      default -> Kind.HTTP;
    };
  }

  /**
   * For a bundled source, the path inside Soko's bundle.
   *
   * @return the path after {@code bundled:}, such as {@code silero-vad/model.onnx}
   * @throws IllegalStateException if this is not a {@code bundled:} source
   */
  public RelativePath bundledPath() {
    if (kind() != Kind.BUNDLED) {
      throw new IllegalStateException(uri + " is not bundled");
    }
    return new RelativePath(uri.getSchemeSpecificPart());
  }

  /**
   * The host a user consents to contact.
   *
   * @return {@code host} or {@code host:port} for http and OCI sources; {@code local} for bundled
   *     and file sources
   */
  public String host() {
    return kind() == Kind.HTTP || kind() == Kind.OCI ? uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") : "local";
  }

  /**
   * The URI as written.
   *
   * @return the URI's text, which {@link #parse} reads back
   */
  @Override
  public String toString() {
    return uri.toString();
  }
}
