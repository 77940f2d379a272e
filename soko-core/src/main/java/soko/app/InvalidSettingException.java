package soko.app;

/** A setting (an environment variable or flag) has a value Soko cannot use. The message names it and the allowed values. */
public final class InvalidSettingException extends IllegalArgumentException {
  InvalidSettingException(String message) {
    super(message);
  }

  InvalidSettingException(String message, Throwable cause) {
    super(message, cause);
  }
}
