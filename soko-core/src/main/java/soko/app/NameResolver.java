package soko.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import soko.acquisition.LocalSource;
import soko.catalog.CatalogException;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ManifestException;

/**
 * Finds the manifest a name stands for: a bundled model, an alias, a catalog name or {@code
 * name@version}, or a manifest file. Thread-safe.
 */
final class NameResolver {
  private final Soko facade;

  NameResolver(Soko facade) {
    this.facade = facade;
  }

  /** The names of the models shipped inside Soko. */
  List<String> bundledModels() {
    try {
      Optional<byte[]> index = LocalSource.readBundled("index.txt", 64 * 1024);
      if (index.isEmpty()) {
        return List.of();
      }
      return new String(index.get(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A bundled model's manifest. */
  Optional<Manifest> bundledManifest(String name) throws ManifestException {
    if (!bundledModels().contains(name)) {
      return Optional.empty();
    }
    try {
      Optional<byte[]> bytes = LocalSource.readBundled(name + "/manifest.json", ManifestCodec.MAX_BYTES);
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(ManifestCodec.parse(bytes.get(), "bundled:" + name + "/manifest.json"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Finds a model: a bundled name, then an alias (such as {@code ja-asr}: the model recommended for
   * this computer, see {@link Soko#chooseForPull}), a catalog name or {@code name@version}, then a
   * manifest file when {@code nameOrPath} ends with {@code .json} or names an existing file.
   */
  Soko.Resolved resolve(String nameOrPath) throws AppException, ManifestException, CatalogException {
    Optional<Manifest> bundled = bundledManifest(nameOrPath);
    if (bundled.isPresent()) {
      return new Soko.Resolved(bundled.get(), "bundled");
    }
    if (!nameOrPath.endsWith(".json")) {
      Optional<AliasChoice> chosen = facade.chooseForPull(nameOrPath, Optional.empty());
      if (chosen.isPresent()) {
        Manifest m = chosen.get().manifest();
        return new Soko.Resolved(m, m.bundled() ? "bundled" : "catalog");
      }
      Optional<soko.catalog.Resolution> r = facade.catalogs().resolve(nameOrPath);
      if (r.isPresent()) {
        Manifest m = r.get().manifest();
        return new Soko.Resolved(m, m.bundled() ? "bundled" : "catalog");
      }
    }
    Path p = Path.of(nameOrPath);
    if (nameOrPath.endsWith(".json") || Files.isRegularFile(p)) {
      byte[] bytes;
      // Never opens a FIFO (reading would block forever) or a device: RegularFiles checks first.
      try {
        long size = soko.internal.io.RegularFiles.size(p);
        if (size > ManifestCodec.MAX_BYTES) {
          throw new ManifestException(nameOrPath, "", "the manifest is " + size + " bytes; the limit is "
              + ManifestCodec.MAX_BYTES + " bytes, so this is not a manifest", null);
        }
        try (java.io.InputStream in = soko.internal.io.RegularFiles.open(p)) {
          bytes = in.readNBytes(ManifestCodec.MAX_BYTES + 1); // it may have grown since
        }
        if (bytes.length > ManifestCodec.MAX_BYTES) {
          throw new ManifestException(nameOrPath, "", "the manifest grew past the limit of " + ManifestCodec.MAX_BYTES
              + " bytes while it was read, so this is not a manifest", null);
        }
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UnknownModelException("the manifest " + nameOrPath + " does not exist; give the path of a manifest"
            + " .json file, or a model name (`soko catalog` lists them)");
      } catch (soko.internal.io.RegularFiles.NotRegularFileException e) {
        throw new UnknownModelException("cannot read the manifest " + nameOrPath + ": it is not a regular file but "
            + e.kind() + "; give a manifest .json file");
      } catch (IOException e) {
        throw new UnknownModelException("cannot read the manifest " + nameOrPath + ": " + e.getMessage());
      }
      return new Soko.Resolved(ManifestCodec.parse(bytes, nameOrPath), "file:" + p.toAbsolutePath().normalize());
    }
    throw new UnknownModelException("no model or alias named \"" + nameOrPath + "\": run `soko catalog` to see what"
        + " is available, or give a path to a manifest .json file");
  }
}
