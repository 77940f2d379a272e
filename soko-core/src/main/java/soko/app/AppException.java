package soko.app;

/** A use case could not run. The message says what to do. */
public sealed class AppException extends Exception
    permits UnknownModelException, NoSourceException, ConsentRequiredException, RegistryException,
        BudgetException {
  AppException(String message) {
    super(message);
  }

  AppException(String message, Throwable cause) {
    super(message, cause);
  }
}
