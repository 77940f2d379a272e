package soko.store;

import java.util.List;

/**
 * An installed model's files do not match its manifest: a file is missing, or its size or sha256
 * differs. The model is marked corrupt and refused; nothing is deleted.
 */
public final class ModelIntegrityException extends StoreException {
  private final String model;
  private final List<String> problems;

  public ModelIntegrityException(String model, List<String> problems) {
    super(model + " is corrupt and will not be used (" + problems.get(0)
        + (problems.size() > 1 ? "; and " + (problems.size() - 1) + " more" : "")
        + "): run `soko install " + model.split("@", 2)[0] + "` to repair it");
    this.model = model;
    this.problems = List.copyOf(problems);
  }

  /** name@version. */
  public String model() {
    return model;
  }

  /** One line per bad file. */
  public List<String> problems() {
    return problems;
  }
}
