package soko.app;

/**
 * Asked once, before any byte goes over the network, with what the download would do. The
 * default everywhere is {@link #REFUSE}: nothing downloads without an explicit yes.
 *
 * <p>Called on the installing thread; may block while a person decides.
 */
@FunctionalInterface
public interface Consent {
  /** Refuses every download. The Java API's default. */
  Consent REFUSE = plan -> false;

  /** Approves in advance, like {@code --yes}. */
  Consent APPROVE = plan -> true;

  boolean approve(DownloadPlan plan);
}
