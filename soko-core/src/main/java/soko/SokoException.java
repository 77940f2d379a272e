package soko;

import org.jspecify.annotations.Nullable;

/**
 * The root of Soko's checked exceptions: every failure the library declares carries its {@link
 * Reason}, from which the CLI takes its exit code and the web API its HTTP status and JSON {@code
 * type}. Each package has its own family below this root, sealed within the package ({@code
 * soko.store.StoreException}, {@code soko.catalog.CatalogException}, {@code
 * soko.acquisition.AcquisitionException}, {@code soko.acquisition.oci.OciException}, {@code
 * soko.runtime.EngineException}, {@code soko.app.AppException}) or a single final class ({@code
 * soko.verification.IntegrityException}, {@code soko.manifest.ManifestException}, {@code
 * soko.bundle.BundleException}).
 *
 * <p>This root itself is not sealed, on purpose: a sealed class whose permitted subclasses live in
 * other packages must be in a named module with them, and the JVM checks that when it loads a
 * subclass. On the class path (the unnamed module), where tests and many embedding apps run Soko,
 * loading {@code StoreException} would then fail with {@code IncompatibleClassChangeError}. Code
 * outside Soko should not extend it; the families below it are sealed.
 *
 * <p>The message is one line that says what went wrong and how to fix it.
 */
public abstract class SokoException extends Exception {
  /**
   * A failure without a cause.
   *
   * @param message one line: what went wrong and how to fix it
   */
  protected SokoException(String message) {
    super(message);
  }

  /**
   * A failure with its cause.
   *
   * @param message one line: what went wrong and how to fix it
   * @param cause the underlying failure; null when there is none
   */
  protected SokoException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Why it failed: the exit code, HTTP status and JSON {@code type} come from it.
   *
   * @return the reason; never null
   */
  public abstract Reason reason();
}
