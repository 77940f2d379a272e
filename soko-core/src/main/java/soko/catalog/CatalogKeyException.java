package soko.catalog;

import org.jspecify.annotations.Nullable;

/** A trusted-key file or a publisher's private key file is not valid. */
public final class CatalogKeyException extends CatalogException {
  CatalogKeyException(String source, String problem, @Nullable Throwable cause) {
    super(source, source + ": " + problem, cause);
  }
}
