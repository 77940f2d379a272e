package soko.acquisition.oci;

import java.util.List;
import java.util.Optional;

/**
 * Finds the credential for a registry host ({@code host[:port]}). Implementations must be
 * thread-safe; they may run a credential helper process: {@link #memoized()} asks once per registry.
 */
@FunctionalInterface
public interface CredentialStore {
  /** No credentials: every registry is accessed anonymously. */
  CredentialStore ANONYMOUS = registry -> Optional.empty();

  /**
   * The credential for {@code registry}.
   *
   * @param registry the registry's host, with {@code :port} when it has one, lower case
   * @return the credential, or empty to go anonymous
   * @throws OciAuthException when a configured source is broken (unreadable file, failing helper)
   */
  Optional<RegistryCredential> find(String registry) throws OciAuthException;

  /**
   * This store, asked at most once per registry: later calls answer from memory (a credential
   * helper is a process of its own, and one pull makes many requests). A failure is not kept.
   *
   * @return a thread-safe memoizing store over this one
   */
  default CredentialStore memoized() {
    java.util.Map<String, Optional<RegistryCredential>> known = new java.util.concurrent.ConcurrentHashMap<>();
    CredentialStore inner = this;
    return registry -> {
      Optional<RegistryCredential> k = known.get(registry);
      if (k != null) {
        return k;
      }
      synchronized (known) {
        k = known.get(registry);
        if (k == null) {
          k = inner.find(registry);
          known.put(registry, k);
        }
        return k;
      }
    };
  }

  /**
   * Asks each store in order; the first that has a credential wins.
   *
   * @param stores the stores, in order (copied)
   * @return the chained store; it throws the first {@link OciAuthException} a store throws
   */
  static CredentialStore chain(List<CredentialStore> stores) {
    List<CredentialStore> copy = List.copyOf(stores);
    return registry -> {
      for (CredentialStore s : copy) {
        Optional<RegistryCredential> c = s.find(registry);
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    };
  }
}
