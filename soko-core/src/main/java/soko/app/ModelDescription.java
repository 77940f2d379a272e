package soko.app;

import java.util.List;
import java.util.Optional;
import soko.manifest.Manifest;
import soko.store.ModelCheck;

/**
 * Everything about one model, for {@code soko show}: the manifest (the installed one when the model
 * is installed, else the one an install would use), its state in the store, its versions, where it
 * comes from, the aliases that name it and the pick of an alias.
 *
 * @param asked what was asked for (a name, {@code name@version} or an alias)
 * @param manifest the model described
 * @param origin where the manifest came from: {@code bundled}, {@code catalog}, {@code file:…}, or
 *     the recorded origin of the installed model
 * @param installed the installed model's files and their states (no hashing), when installed
 * @param installedVersions every installed version of the model (one, in this store)
 * @param availableVersions the versions the catalogs list, oldest first
 * @param catalogs the ids of the catalogs that list it
 * @param aliases the aliases whose candidates include it
 * @param alias when {@code asked} was an alias: what pulling it on this computer installs, and why
 * @param engineAvailable whether an engine with the manifest's engine id is available here
 */
public record ModelDescription(String asked, Manifest manifest, String origin, Optional<ModelCheck> installed,
    List<String> installedVersions, List<String> availableVersions, List<String> catalogs, List<String> aliases,
    Optional<AliasChoice> alias, boolean engineAvailable) {
  /**
   * Copies the lists.
   *
   * @param asked what was asked for
   * @param manifest the model described
   * @param origin where the manifest came from
   * @param installed the installed model's check; empty when not installed
   * @param installedVersions every installed version; copied, not null
   * @param availableVersions the versions the catalogs list; copied, not null
   * @param catalogs the ids of the catalogs that list it; copied, not null
   * @param aliases the aliases whose candidates include it; copied, not null
   * @param alias the alias's choice; empty when no alias was asked for
   * @param engineAvailable whether an engine for it is available here
   */
  public ModelDescription {
    installedVersions = List.copyOf(installedVersions);
    availableVersions = List.copyOf(availableVersions);
    catalogs = List.copyOf(catalogs);
    aliases = List.copyOf(aliases);
  }

  /**
   * The bytes the model's files take in the store (0 when not installed; a blob shared with another model counts here too).
   *
   * @return the sizes of the files not missing, summed
   */
  public long diskBytes() {
    return installed.map(c -> c.files().stream().filter(f -> f.state() != soko.store.FileState.MISSING)
        .mapToLong(f -> f.file().size()).sum()).orElse(0L);
  }
}
