package soko.acquisition.oci;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import soko.verification.Digest;

/**
 * A model in an OCI registry: {@code REGISTRY/REPOSITORY[:TAG][@sha256:HEX]}, optionally written
 * with an {@code oci://} prefix. The registry is always explicit (there is no default registry),
 * and a reference without tag or digest means the tag {@code latest}.
 *
 * <p>{@link #parse} accepts what {@link #toString} produces. Whether the registry is reached over
 * https or plain http is not part of the reference: see {@link OciSettings#insecureRegistries()}.
 * Immutable and thread-safe.
 *
 * @param registry host with optional port, lower-case, such as {@code ghcr.io} or {@code 127.0.0.1:5000}
 * @param repository the path inside the registry, such as {@code soko/whisper-small-ja}
 * @param tag the tag, when given
 * @param digest the pinned manifest digest, when given; it wins over the tag when both are given
 */
public record OciReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
  /** The optional prefix of the written form, {@code oci://}. */
  public static final String SCHEME_PREFIX = "oci://";
  public static final String DEFAULT_TAG = "latest";

  private static final Pattern REGISTRY = Pattern.compile(
      "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(?::[0-9]{1,5})?");
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException if the registry, repository or tag is not of the distribution
   *     spec's form, or neither a tag nor a digest is given
   */
  public OciReference {
    if (!REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("\"" + registry + "\" is not a registry host; write it like ghcr.io or 127.0.0.1:5000");
    }
    if (repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("\"" + repository
          + "\" is not a repository name; use lower-case letters, digits and '.', '_', '-' separated by '/'");
    }
    if (tag.isPresent() && !TAG.matcher(tag.get()).matches()) {
      throw new IllegalArgumentException("\"" + tag.get() + "\" is not a tag; use up to 128 letters, digits, '.', '_' or '-'");
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      throw new IllegalArgumentException("a reference needs a tag or a digest");
    }
  }

  /**
   * Parses {@code [oci://]REGISTRY/REPOSITORY[:TAG][@sha256:HEX]}.
   *
   * @param text the reference, such as {@code ghcr.io/soko/whisper-small-ja:1.0}
   * @return the reference; its tag is {@value #DEFAULT_TAG} when neither tag nor digest is given
   * @throws IllegalArgumentException with a one-line reason
   */
  public static OciReference parse(String text) {
    String s = text.startsWith(SCHEME_PREFIX) ? text.substring(SCHEME_PREFIX.length()) : text;
    int slash = s.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("\"" + text + "\" names no registry; write REGISTRY/REPOSITORY:TAG, like ghcr.io/org/model:1.0.0");
    }
    String registry = s.substring(0, slash).toLowerCase(Locale.ROOT);
    if (!registry.contains(".") && !registry.contains(":") && !registry.equals("localhost")) {
      throw new IllegalArgumentException("\"" + text + "\" names no registry host (\"" + registry
          + "\" is not one); write REGISTRY/REPOSITORY:TAG, like ghcr.io/org/model:1.0.0");
    }
    String rest = s.substring(slash + 1);
    Optional<Digest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(Digest.parse(rest.substring(at + 1)));
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of(DEFAULT_TAG);
    }
    return new OciReference(registry, rest, tag, digest);
  }

  /**
   * The same repository, pinned.
   *
   * @param d the manifest digest
   * @return a reference with {@code d} as its digest, keeping the tag
   */
  public OciReference withDigest(Digest d) {
    return new OciReference(registry, repository, tag, Optional.of(d));
  }

  /** What goes after {@code /manifests/}: the digest when pinned, else the tag. */
  String manifestReference() {
    return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
  }

  /**
   * The source URI of one blob of this repository, as manifests name it.
   *
   * @param blob the blob's digest
   * @return {@code oci://REGISTRY/REPOSITORY@sha256:HEX}
   */
  public String blobUri(Digest blob) {
    return SCHEME_PREFIX + registry + "/" + repository + "@" + blob;
  }

  @Override
  public String toString() {
    return registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
