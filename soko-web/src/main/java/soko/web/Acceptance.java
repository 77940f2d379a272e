package soko.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import soko.app.DownloadPlan;

/**
 * What the person accepted in the consent dialog, echoed back from the plan the server showed:
 * the version, the bytes to download, the hosts and the licence. Consent holds only for a plan
 * that still says exactly this.
 *
 * @param acceptLicense the licence the person accepted by name by ticking its box, which a model
 *     whose licence forbids commercial use needs ({@link DownloadPlan#nonCommercial})
 */
record Acceptance(String version, long bytesToDownload, List<String> hosts, String license,
    Optional<String> acceptLicense) {
  static final Set<String> FIELDS = Set.of("version", "bytesToDownload", "hosts", "license", "acceptLicense");

  Acceptance {
    hosts = List.copyOf(hosts);
  }

  static Acceptance read(Body b) throws Refusal {
    return new Acceptance(b.requiredString("version"), b.requiredLong("bytesToDownload"), b.requiredStrings("hosts"),
        b.requiredString("license"), b.string("acceptLicense"));
  }

  boolean matches(DownloadPlan p) {
    return p.manifest().version().text().equals(version) && p.bytesToDownload() == bytesToDownload
        && p.hosts().equals(hosts) && p.license().spdx().equals(license);
  }

  /** Whether the person accepted the plan's licence by name (SPDX ids are case-insensitive). */
  boolean acceptsLicenseOf(DownloadPlan p) {
    return acceptLicense.map(a -> a.strip().toLowerCase(Locale.ROOT))
        .filter(a -> a.equals(p.license().spdx().toLowerCase(Locale.ROOT))).isPresent();
  }
}
