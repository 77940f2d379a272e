package soko.store;

import soko.manifest.ModelName;

/** No installed model has that name. */
public final class ModelNotInstalledException extends StoreException {
  private final String name;

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

  public String name() {
    return name;
  }
}
