package soko.acquisition.oci;

/**
 * What Soko may present to a registry. Never printed: each record's {@code toString()} hides secrets.
 * Immutable and thread-safe.
 */
public sealed interface RegistryCredential {

  /**
   * A user name and password (or access token used as a password), sent as Basic or to the token
   * realm.
   *
   * @param user the user name, non-empty, without ':'
   * @param password the password or access token; may be empty
   */
  record Basic(String user, String password) implements RegistryCredential {
    /**
     * Checks the user name.
     *
     * @throws IllegalArgumentException if {@code user} is empty or contains ':'
     */
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

  /**
   * An OAuth2 refresh token ({@code identitytoken} in docker's config), exchanged at the token realm.
   *
   * @param token the refresh token, non-empty
   */
  record IdentityToken(String token) implements RegistryCredential {
    /**
     * Checks the token.
     *
     * @throws IllegalArgumentException if {@code token} is empty
     */
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
