package soko.app;

import soko.Reason;

/** A use case could not run. The message says what to do. */
public sealed class AppException extends soko.SokoException
    permits UnknownModelException, ConsentRequiredException, RegistryException,
        BudgetException {
  AppException(String message) {
    super(message);
  }

  AppException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@link Reason#CONSENT}, {@link Reason#NOT_FOUND} or {@link Reason#OVER_BUDGET} by the subclass;
   * a registry failure has the reason of its cause ({@link Reason#NETWORK} when that is no Soko failure).
   */
  @Override
  public Reason reason() {
    return switch (this) {
      case ConsentRequiredException _ -> Reason.CONSENT;
      case UnknownModelException _ -> Reason.NOT_FOUND;
      case BudgetException _ -> Reason.OVER_BUDGET;
      case RegistryException r -> {
        Reason cause = r.getCause() == null ? Reason.INTERNAL : Failures.reason(r.getCause());
        yield cause == Reason.INTERNAL ? Reason.NETWORK : cause; // an I/O error talking to the registry
      }
      default -> Reason.INTERNAL;
    };
  }
}
