package soko.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.acquisition.AcquisitionException;
import soko.catalog.CatalogException;
import soko.events.ProgressListener;
import soko.manifest.Manifest;
import soko.manifest.ManifestException;
import soko.manifest.ModelFile;
import soko.manifest.SourceUri;
import soko.store.StoreException;
import soko.verification.IntegrityException;

/** {@code soko import}: adopts files the user already has as the catalog model they belong to. */
final class Imports {
  private Imports() {}

  /**
   * Adopts a file (or the files of a folder) the user already has: the catalog model with a file of
   * the same size and sha256 is installed, its matching files copied from {@code path} and verified
   * as they are written, the others downloaded once {@code consent} approves. Sizes are compared
   * first; only a file whose size matches a catalog file is hashed. The user's files are read,
   * never moved, linked or changed (a hard link would share the store's read-only mode and any
   * later edit with the user's copy). Symbolic links are not followed.
   *
   * @param as the model (NAME or NAME@VERSION of the catalogs) to install, when several match or to
   *     check that the file is that model's
   * @throws UnknownModelException when no catalog model has such a file, or several do and {@code as} is empty
   */
  static Soko.InstallResult importFiles(Soko facade, Path path, Optional<String> as, Consent consent, ProgressListener listener)
      throws AppException, CatalogException, StoreException, IntegrityException, AcquisitionException,
      ManifestException {
    List<Path> given = new ArrayList<>();
    try {
      if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (var walk = Files.walk(path)) {
          walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).limit(Soko.MAX_IMPORT_FILES)
              .sorted().forEach(given::add);
        }
      } else {
        soko.internal.io.RegularFiles.check(path);
        given.add(path);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UnknownModelException(path + " does not exist; give the path of a model file you downloaded");
    } catch (soko.internal.io.RegularFiles.NotRegularFileException e) {
      throw new UnknownModelException(path + " is not a regular file but " + e.kind() + "; give a model file or a"
          + " folder of them");
    } catch (IOException e) {
      throw new UnknownModelException("cannot read " + path + ": " + e.getMessage());
    }
    List<Manifest> candidates = new ArrayList<>();
    if (as.isPresent()) {
      Optional<soko.catalog.Resolution> r = facade.catalogs().resolve(as.get());
      if (r.isEmpty()) {
        throw new UnknownModelException("--as " + as.get() + " names no model of the catalogs; run `soko catalog` to"
            + " see them");
      }
      candidates.add(r.get().manifest());
    } else {
      facade.catalogs().models().forEach(e -> candidates.add(e.manifest()));
    }
    // model id -> (file path in the model -> the user's file)
    Map<String, Map<String, Path>> matches = new java.util.LinkedHashMap<>();
    Map<String, Manifest> byId = new java.util.HashMap<>();
    for (Path p : given) {
      long size;
      try {
        size = Files.size(p);
      } catch (IOException e) {
        throw new UnknownModelException("cannot read " + p + ": " + e.getMessage());
      }
      List<Manifest> sameSize = candidates.stream()
          .filter(m -> m.files().stream().anyMatch(f -> f.size() == size)).toList();
      if (sameSize.isEmpty()) {
        continue; // no hashing for a file no catalog file could be
      }
      soko.verification.Digest digest;
      try {
        digest = soko.verification.Hashing.sha256(p).digest();
      } catch (IOException e) {
        throw new UnknownModelException("cannot read " + p + ": " + e.getMessage());
      }
      for (Manifest m : sameSize) {
        for (ModelFile f : m.files()) {
          if (f.size() == size && f.sha256().equals(digest)) {
            matches.computeIfAbsent(m.id(), k -> new java.util.LinkedHashMap<>()).putIfAbsent(f.path().value(), p);
            byId.put(m.id(), m);
          }
        }
      }
    }
    if (matches.isEmpty()) {
      throw new UnknownModelException("no file of " + path + " has the size and sha256 of a file of "
          + (as.isPresent() ? as.get() : "any model of the catalogs") + "; `soko catalog` lists the models, and"
          + " `soko manifest create` describes a model of your own");
    }
    if (matches.size() > 1) {
      throw new UnknownModelException(path + " matches files of several models (" + String.join(", ", matches.keySet())
          + "); choose one with --as NAME@VERSION");
    }
    String id = matches.keySet().iterator().next();
    Manifest m = byId.get(id);
    Map<String, Path> local = matches.get(id);
    List<ModelFile> files = new ArrayList<>();
    for (ModelFile f : m.files()) {
      Path p = local.get(f.path().value());
      if (p == null) {
        files.add(f);
      } else {
        List<SourceUri> sources = new ArrayList<>();
        sources.add(new SourceUri(p.toAbsolutePath().normalize().toUri()));
        sources.addAll(f.sources());
        files.add(f.withSources(sources));
      }
    }
    Manifest adopted = new Manifest(m.name(), m.version(), m.description(), m.tasks(), m.engine(), m.license(), files,
        m.demo(), m.annotations());
    Soko.InstallResult r = facade.install(adopted, "import:" + path.toAbsolutePath().normalize(), consent, listener);
    return r;
  }
}
