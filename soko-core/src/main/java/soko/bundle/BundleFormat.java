package soko.bundle;

import java.util.regex.Pattern;

/**
 * The names and media types of a bundle. A bundle is an OCI image layout (image-spec v1.1
 * {@code image-layout.md}) in a ustar archive:
 *
 * <pre>
 * oci-layout                  {"imageLayoutVersion":"1.0.0"}
 * index.json                  an image index: one descriptor per model (ModelPack manifest), with
 *                             org.opencontainers.image.ref.name NAME-VERSION, and one per carried
 *                             signed catalog (ref.name catalog-ID)
 * blobs/  blobs/sha256/
 * blobs/sha256/&lt;hex&gt;          manifests first, then configs and catalogs, then the model files
 * </pre>
 *
 * A carried catalog is an artifact of its own, so that every blob is named by a manifest: {@code
 * artifactType} {@value #CATALOG_ARTIFACT}, the empty config, and one layer of type {@value
 * #CATALOG_ENVELOPE} holding the signed catalog envelope exactly as its publisher served it.
 *
 * <p>Constants only; thread-safe.
 */
public final class BundleFormat {
  /** The archive entry that marks an OCI image layout. */
  public static final String LAYOUT_FILE = "oci-layout";
  /** The archive entry holding the image index. */
  public static final String INDEX_FILE = "index.json";
  /** The folder of the blobs, each named by its sha256 hex. */
  public static final String BLOBS = "blobs/sha256/";
  /** The {@code imageLayoutVersion} written and accepted. */
  public static final String LAYOUT_VERSION = "1.0.0";
  /** The media type of {@code index.json}. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  /** The media type of every manifest in the bundle. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  /** The index annotation naming a manifest: {@code NAME-VERSION} or {@code catalog-ID}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** The {@code artifactType} of a carried catalog. */
  public static final String CATALOG_ARTIFACT = "application/vnd.soko.catalog.v1+json";
  /** The media type of a carried catalog's layer: the signed envelope. */
  public static final String CATALOG_ENVELOPE = "application/vnd.soko.catalog.envelope.v1+json";
  /** The manifest annotation holding a carried catalog's id. */
  public static final String CATALOG_ID = "dev.soko.catalog.id";
  /** The media type of the empty config ({@code {}}) of a catalog artifact. */
  public static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  static final byte[] EMPTY_JSON = {'{', '}'};
  /** index.json, a manifest or a config: at most this many bytes each (the distribution spec's manifest limit). */
  static final int MAX_JSON = 4 * 1024 * 1024;
  /** All the JSON a bundle may hold in total (manifests, configs, catalogs), read into memory. */
  static final long MAX_JSON_TOTAL = 64L * 1024 * 1024;
  static final int MAX_ENVELOPE = 8 * 1024 * 1024;
  static final int MAX_ENTRIES = 100_000;
  static final int MAX_MANIFESTS = 10_000;
  static final Pattern BLOB_NAME = Pattern.compile("blobs/sha256/([0-9a-f]{64})");

  private BundleFormat() {}
}
