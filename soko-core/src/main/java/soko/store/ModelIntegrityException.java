package soko.store;

import java.util.List;

/**
 * An installed model's files do not match its manifest: a file is missing, or its size or sha256
 * differs. The model is marked corrupt and refused; nothing is deleted. Immutable once thrown.
 */
public final class ModelIntegrityException extends StoreException {
  /** The model, {@code name@version}. */
  private final String model;
  /** One line per bad file. */
  private final List<String> problems;

  /**
   * Makes the exception; the message names the first problem and the command that repairs it.
   *
   * @param model the model, {@code name@version}
   * @param problems one line per bad file, at least one
   */
  public ModelIntegrityException(String model, List<String> problems) {
    super(model + " is corrupt and will not be used (" + problems.get(0)
        + (problems.size() > 1 ? "; and " + (problems.size() - 1) + " more" : "")
        + "): run `soko install " + model.split("@", 2)[0] + "` to repair it");
    this.model = model;
    this.problems = List.copyOf(problems);
  }

  /**
   * Which model is corrupt.
   *
   * @return {@code name@version}
   */
  public String model() {
    return model;
  }

  /**
   * What is wrong.
   *
   * @return one line per bad file; unmodifiable
   */
  public List<String> problems() {
    return problems;
  }
}
