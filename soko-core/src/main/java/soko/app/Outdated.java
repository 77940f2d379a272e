package soko.app;

import java.util.List;

/**
 * What {@code soko outdated} reports.
 *
 * @param updates installed models whose catalog lists a newer version
 * @param betterPicks aliases whose model in use is no longer the one recommended for this computer
 */
public record Outdated(List<Update> updates, List<BetterPick> betterPicks) {
  public Outdated {
    updates = List.copyOf(updates);
    betterPicks = List.copyOf(betterPicks);
  }

  /**
   * A newer version of an installed model.
   *
   * @param downloadBytes what installing it downloads: files the store already holds (shared with
   *     the installed version or another model) and bytes kept from interrupted downloads are not counted
   */
  public record Update(String name, String installedVersion, String newVersion, long downloadBytes,
      String installedLicense, String newLicense) {
    /** A licence change needs a fresh consent: the new licence accepted by name. */
    public boolean licenseChanged() {
      return !installedLicense.equals(newLicense);
    }
  }

  /**
   * An alias that runs {@code installed} while {@code recommended} is the pick for this computer
   * and is not installed: {@code soko update ALIAS} installs it (the installed one stays).
   */
  public record BetterPick(String alias, String installed, String recommended, String reason) {}
}
