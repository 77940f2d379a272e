package soko.acquisition.oci;

/**
 * What Soko may present to a registry. Never printed: each record's {@code toString()} hides secrets.
 */
public sealed interface RegistryCredential {

  /** A user name and password (or access token used as a password), sent as Basic or to the token realm. */
  record Basic(String user, String password) implements RegistryCredential {
    public Basic {
      if (user.isEmpty() || user.contains(":")) {
        throw new IllegalArgumentException("a registry user name is non-empty and has no ':'");
      }
    }

    @Override
    public String toString() {
      return "Basic[user=" + user + ", password=***]";
    }
  }

  /** An OAuth2 refresh token ({@code identitytoken} in docker's config), exchanged at the token realm. */
  record IdentityToken(String token) implements RegistryCredential {
    public IdentityToken {
      if (token.isEmpty()) {
        throw new IllegalArgumentException("an identity token is non-empty");
      }
    }

    @Override
    public String toString() {
      return "IdentityToken[***]";
    }
  }
}
