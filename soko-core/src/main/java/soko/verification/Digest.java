package soko.verification;

import java.util.HexFormat;

/**
 * A SHA-256 content digest, written {@code sha256:<64 lower-case hex>}.
 *
 * <p>{@link #parse} accepts exactly what {@link #toString} produces. Manifests carry the bare hex
 * form ({@link #hex()}), which {@link #ofHex} accepts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hex the 64 lower-case hex digits of the digest, without the {@code sha256:} prefix
 */
public record Digest(String hex) {
  /** The prefix of the written form, {@code "sha256:"}. */
  public static final String PREFIX = "sha256:";

  /**
   * Checks the digits.
   *
   * @throws IllegalArgumentException if {@code hex} is not exactly 64 lower-case hex digits
   */
  public Digest {
    if (!isHex64(hex)) {
      throw new IllegalArgumentException("not a sha256: expected 64 lower-case hex digits, got " + describe(hex));
    }
  }

  /** 64 lower-case hex digits (a loop, not a regex: digests are checked by the thousand at start-up). */
  private static boolean isHex64(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  // Written out: a record's generated equals and hashCode are bootstrapped on first use, which a
  // short-lived process pays for.
  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && hex.equals(d.hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  /**
   * Parses the written form.
   *
   * @param text {@code sha256:<64 lower-case hex>}, as {@link #toString} writes it
   * @return the digest
   * @throws IllegalArgumentException if {@code text} is not of that form (the message quotes it)
   */
  public static Digest parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a digest: expected sha256:<64 hex digits>, got " + describe(text));
    }
    return new Digest(text.substring(PREFIX.length()));
  }

  /**
   * Makes a digest from its bare hex, as manifests write it.
   *
   * @param hex 64 lower-case hex digits, no prefix
   * @return the digest
   * @throws IllegalArgumentException if {@code hex} is not 64 lower-case hex digits
   */
  public static Digest ofHex(String hex) {
    return new Digest(hex);
  }

  /**
   * Makes a digest from the raw bytes of a SHA-256 result.
   *
   * @param sha256 the 32 bytes of {@link java.security.MessageDigest#digest()}; not kept
   * @return the digest
   * @throws IllegalArgumentException if {@code sha256} is not 32 bytes long
   */
  public static Digest of(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("sha256 length " + sha256.length + " != 32");
    }
    return new Digest(HexFormat.of().formatHex(sha256));
  }

  /** The digest of zero bytes: a "got" value equal to this usually means an empty or failed transfer. */
  public static final Digest EMPTY = ofHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  /**
   * The written form, which {@link #parse} reads back.
   *
   * @return {@code sha256:<64 lower-case hex>}
   */
  @Override
  public String toString() {
    return PREFIX + hex;
  }

  /**
   * A short form for tables; not unique, never use it to identify content.
   *
   * @return the first 12 hex digits
   */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  private static String describe(String s) {
    if (s == null) {
      return "nothing";
    }
    String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return "\"" + shown + "\" (" + s.length() + " characters)";
  }
}
