package soko.app;

/** No bundled model, catalog entry, alias or manifest file has that name. */
public final class UnknownModelException extends AppException {
  public UnknownModelException(String message) {
    super(message);
  }
}
