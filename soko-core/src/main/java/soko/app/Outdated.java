package soko.app;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code soko outdated} reports.
 *
 * <p>Immutable and thread-safe.
 *
 * @param updates installed models whose catalog lists a newer version
 * @param betterPicks aliases whose model in use is no longer the one recommended for this computer
 * @param catalogs the remote catalogs these answers come from, with when each was last fetched
 */
public record Outdated(List<Update> updates, List<BetterPick> betterPicks, List<CatalogAge> catalogs) {
  /**
   * Copies the lists.
   *
   * @param updates installed models whose catalog lists a newer version; copied, not null
   * @param betterPicks aliases with a better pick; copied, not null
   * @param catalogs the configured remote catalogs; copied, not null
   */
  public Outdated {
    updates = List.copyOf(updates);
    betterPicks = List.copyOf(betterPicks);
    catalogs = List.copyOf(catalogs);
  }

  /**
   * The report without remote catalogs (only the built-in one is in use).
   *
   * @param updates installed models whose catalog lists a newer version; copied, not null
   * @param betterPicks aliases with a better pick; copied, not null
   */
  public Outdated(List<Update> updates, List<BetterPick> betterPicks) {
    this(updates, betterPicks, List.of());
  }

  /**
   * A configured remote catalog and how old the copy {@code outdated} used is: the answers are only
   * as fresh as it ({@code soko catalog update} fetches it again).
   *
   * @param catalogId the catalog's id
   * @param url where it is fetched from
   * @param fetchedAt when the copy kept for offline use was last fetched and accepted (or taken from
   *     a bundle); empty when it never was
   * @param age how long ago that was, when the report was made; empty when it never was
   */
  public record CatalogAge(String catalogId, String url, Optional<Instant> fetchedAt, Optional<Duration> age) {}

  /**
   * A newer version of an installed model.
   *
   * @param name the model's name
   * @param installedVersion the version installed now
   * @param newVersion the newest version the catalogs list
   * @param downloadBytes what installing it downloads: files the store already holds (shared with
   *     the installed version or another model) and bytes kept from interrupted downloads are not counted
   * @param installedLicense the SPDX id of the installed version's licence
   * @param newLicense the SPDX id of the new version's licence
   */
  public record Update(String name, String installedVersion, String newVersion, long downloadBytes,
      String installedLicense, String newLicense) {
    /**
     * A licence change needs a fresh consent: the new licence accepted by name.
     *
     * @return true when the SPDX ids differ
     */
    public boolean licenseChanged() {
      return !installedLicense.equals(newLicense);
    }
  }

  /**
   * An alias that runs {@code installed} while {@code recommended} is the pick for this computer
   * and is not installed: {@code soko update ALIAS} installs it (the installed one stays).
   *
   * @param alias the alias, such as {@code ja-asr}
   * @param installed the name of the installed model the alias runs
   * @param recommended the name of the model recommended for this computer
   * @param reason why it is recommended, one line
   */
  public record BetterPick(String alias, String installed, String recommended, String reason) {}
}
