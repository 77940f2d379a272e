package soko.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import soko.internal.json.JsonProblem;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;

/**
 * The catalog shipped inside Soko ({@value #RESOURCE}): the whisper.cpp models with pinned download
 * URLs, the models bundled with Soko, and the standard aliases ({@code vad}, {@code ja-asr},
 * {@code ko-asr}, {@code ja-en-speech}, {@code ko-en-speech}, {@code ja-en}, {@code ko-en}).
 *
 * <p>It is not signed: it is trusted because it ships inside the application, like the code that
 * reads it. It has no expiry and no rollback state. Models shipped inside Soko are listed by name
 * under {@code "bundled"} and their manifests read from {@code soko/bundled/<name>/manifest.json} on
 * the class path, so each manifest exists exactly once.
 *
 * <p>Thread-safe: no state.
 */
public final class BuiltinCatalog {
  /** The class-path resource holding the built-in catalog document. */
  public static final String RESOURCE = "soko/catalog/builtin.json";
  /** Names the built-in catalog in messages. */
  static final String SOURCE = "the built-in catalog (" + RESOURCE + ")";

  private BuiltinCatalog() {}

  /** Reads class-path resources; empty when there is no such resource. */
  @FunctionalInterface
  interface Resources {
    Optional<byte[]> read(String path) throws IOException;
  }

  /**
   * Reads and checks the built-in catalog. Reads the class path on each call; callers keep the result.
   *
   * @return the built-in catalog, with no expiry
   * @throws CatalogUnusableException when this Soko build is damaged or incomplete
   */
  public static Catalog load() throws CatalogUnusableException {
    // Class.getResourceAsStream, not the class loader's: soko.catalog is not an open package, so on
    // the module path only this module's own classes can read its resources.
    return load(path -> {
      try (InputStream in = BuiltinCatalog.class.getResourceAsStream("/" + path)) {
        return in == null ? Optional.empty() : Optional.of(in.readNBytes(CatalogCodec.MAX_BYTES + 1));
      }
    });
  }

  static Catalog load(Resources resources) throws CatalogUnusableException {
    byte[] document;
    try {
      document = resources.read(RESOURCE).orElseThrow(() -> CatalogUnusableException.malformed(SOURCE, "catalog", "",
          "the resource is missing from this Soko build; reinstall Soko", null));
    } catch (IOException e) {
      throw CatalogUnusableException.malformed(SOURCE, "catalog", "", "could not be read: " + e.getMessage(), e);
    }
    return CatalogCodec.parseBuiltin(document, SOURCE, (name, at) -> {
      String path = "soko/bundled/" + name + "/manifest.json";
      Optional<byte[]> bytes;
      try {
        bytes = resources.read(path);
      } catch (IOException e) {
        throw new JsonProblem(at.pointer(), "the bundled manifest " + path + " could not be read: " + e.getMessage(), e);
      }
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.<Manifest>of(ManifestCodec.parse(bytes.get(), path));
      } catch (ManifestException e) {
        throw new JsonProblem(at.pointer(), e.getMessage(), e);
      }
    });
  }
}
