package soko.app;

import soko.catalog.ModelFacts;
import soko.manifest.Manifest;

/**
 * The rule for models whose licence forbids commercial use ({@link ModelFacts#nonCommercial}):
 * they install only when the consent accepts their licence by name ({@link Consent#accepts}).
 * Checked before anything is read or written, whether the files come over the network or not.
 */
final class LicenseAcceptance {
  private LicenseAcceptance() {}

  /** Throws unless {@code m} allows commercial use or {@code consent} accepts its licence by name. */
  static void require(Manifest m, Consent consent) throws ConsentRequiredException {
    if (ModelFacts.nonCommercial(m) && !consent.accepts(m.license().spdx())) {
      throw new ConsentRequiredException(m.id() + " is licensed " + m.license().spdx() + ", for non-commercial use"
          + " only (" + m.license().url() + "): to install it, accept that licence by name with --accept-license "
          + m.license().spdx() + " (--yes alone is not enough)");
    }
  }
}
