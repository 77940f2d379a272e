package soko.cli;

/** A command's input (a file or text argument) cannot be used; the message says which and why. */
final class InputException extends Exception {
  InputException(String message, Throwable cause) {
    super(message, cause);
  }

  InputException(String message) {
    super(message);
  }
}
