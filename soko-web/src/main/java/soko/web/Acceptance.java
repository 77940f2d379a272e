package soko.web;

import java.util.List;
import java.util.Set;
import soko.app.DownloadPlan;

/**
 * What the person accepted in the consent dialog, echoed back from the plan the server showed:
 * the version, the bytes to download, the hosts and the licence. Consent holds only for a plan
 * that still says exactly this.
 */
record Acceptance(String version, long bytesToDownload, List<String> hosts, String license) {
  static final Set<String> FIELDS = Set.of("version", "bytesToDownload", "hosts", "license");

  Acceptance {
    hosts = List.copyOf(hosts);
  }

  static Acceptance read(Body b) throws Refusal {
    return new Acceptance(b.requiredString("version"), b.requiredLong("bytesToDownload"), b.requiredStrings("hosts"),
        b.requiredString("license"));
  }

  boolean matches(DownloadPlan p) {
    return p.manifest().version().text().equals(version) && p.bytesToDownload() == bytesToDownload
        && p.hosts().equals(hosts) && p.license().spdx().equals(license);
  }
}
