package soko.web;

import java.util.Optional;
import soko.app.Soko;

/**
 * Which names the page may install, and what to hand to {@link Soko#pull} for each. The page may
 * install only bundled models and what the catalogs list (names, {@code name@version} and
 * aliases), never a manifest file path.
 */
@FunctionalInterface
interface Installable {
  Optional<String> target(String requested) throws Exception;

  static Installable catalogOnly(Soko soko) {
    return requested -> soko.bundledModels().contains(requested) || soko.catalogs().resolve(requested).isPresent()
        ? Optional.of(requested) : Optional.empty();
  }
}
