package soko.app;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Asked once, before any byte goes over the network, with what the download would do. The
 * default everywhere is {@link #REFUSE}: nothing downloads without an explicit yes.
 *
 * <p>A consent also carries the licences the person accepted by name ({@link #acceptedLicenses}):
 * a model whose licence forbids commercial use ({@link DownloadPlan#nonCommercial}) installs only
 * when its SPDX expression is among them, whether or not it downloads anything, and even with a
 * consent that approves every download. {@code --yes} alone is not enough for such a model.
 *
 * <p>Called on the installing thread; may block while a person decides. {@link #REFUSE} and
 * {@link #APPROVE} are stateless and thread-safe; a consent made by {@link #acceptingLicenses} is as
 * thread-safe as the consent it wraps.
 */
@FunctionalInterface
public interface Consent {
  /** Refuses every download. The Java API's default. */
  Consent REFUSE = plan -> false;

  /** Approves in advance, like {@code --yes}. */
  Consent APPROVE = plan -> true;

  /**
   * Decides whether the downloads of {@code plan} may run.
   *
   * @param plan what the download would fetch, from where, and the licence
   * @return true to download, false to refuse (the install then fails with {@link ConsentRequiredException})
   */
  boolean approve(DownloadPlan plan);

  /**
   * The licences accepted by name, as SPDX expressions in lower case (SPDX ids are
   * case-insensitive); none unless given with {@link #acceptingLicenses}.
   *
   * @return the accepted licences, unmodifiable; empty by default
   */
  default Set<String> acceptedLicenses() {
    return Set.of();
  }

  /**
   * This consent, also accepting {@code spdx} licences by name (like {@code --accept-license}).
   *
   * @param spdx SPDX expressions, in any case; surrounding spaces are ignored
   * @return a consent that approves downloads as this one does and accepts these licences and this one's
   */
  default Consent acceptingLicenses(Set<String> spdx) {
    Consent approving = this;
    Set<String> accepted = Stream.concat(approving.acceptedLicenses().stream(),
        spdx.stream().map(s -> s.strip().toLowerCase(Locale.ROOT))).collect(Collectors.toUnmodifiableSet());
    return new Consent() {
      @Override
      public boolean approve(DownloadPlan plan) {
        return approving.approve(plan);
      }

      @Override
      public Set<String> acceptedLicenses() {
        return accepted;
      }
    };
  }

  /**
   * Whether {@code spdx} (a model's licence expression) was accepted by name.
   *
   * @param spdx the model's SPDX expression, in any case
   * @return true when it is among {@link #acceptedLicenses()}, case and surrounding spaces ignored
   */
  default boolean accepts(String spdx) {
    return acceptedLicenses().contains(spdx.strip().toLowerCase(Locale.ROOT));
  }
}
