package soko.app;

import soko.Reason;
import soko.SokoException;

/** Finds the {@link Reason} of any failure: a {@link SokoException} carries its own. */
public final class Failures {
  private Failures() {}

  /**
   * The reason of {@code e}: its own for a {@link SokoException}, {@link Reason#INVALID_INPUT} for
   * an {@link InvalidSettingException} (unchecked, thrown while settings are read), else {@link
   * Reason#INTERNAL}: a bug.
   *
   * @param e any failure
   * @return its reason; never null
   */
  public static Reason reason(Throwable e) {
    return switch (e) {
      case SokoException s -> s.reason();
      case InvalidSettingException _ -> Reason.INVALID_INPUT;
      default -> Reason.INTERNAL;
    };
  }
}
