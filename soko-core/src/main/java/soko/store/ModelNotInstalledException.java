package soko.store;

import soko.manifest.ModelName;

/** No installed model has that name. Immutable once thrown. */
public final class ModelNotInstalledException extends StoreException {
  /** The name asked for, as given. */
  private final String name;

  /**
   * Makes the exception; the message says how to install the model, or, when {@code name} is not a
   * valid model name, why.
   *
   * @param name the name (or alias, or {@code name@version}) asked for, as given
   */
  public ModelNotInstalledException(String name) {
    super(message(name));
    this.name = name;
  }

  /** A fix echoes the name only when it is a model name: anything else could never be installed. */
  private static String message(String name) {
    try {
      ModelName.parse(name);
    } catch (IllegalArgumentException notAName) {
      return "no model is installed under that name: " + notAName.getMessage() + "; run `soko list` to see what is";
    }
    return name + " is not installed: run `soko install " + name + "` (or `soko list` to see what is)";
  }

  /**
   * What was asked for.
   *
   * @return the name as given
   */
  public String name() {
    return name;
  }
}
