package soko.store;

/** No installed model has that name. */
public final class ModelNotInstalledException extends StoreException {
  private final String name;

  public ModelNotInstalledException(String name) {
    super(name + " is not installed: run `soko install " + name + "` (or `soko list` to see what is)");
    this.name = name;
  }

  public String name() {
    return name;
  }
}
