package soko.app;

/** An install, update or prune that cannot fit the storage budget, even evicting everything that may go. */
public final class BudgetException extends AppException {
  BudgetException(String message) {
    super(message);
  }
}
