package soko.store;

import java.util.List;

/** The read-only side of the store, which is all the inventory sees. */
public interface StoreView {
  StoreRoots roots();

  List<InstalledModel> installed() throws StoreException;

  /** Checks without hashing: records and {@code stat} only. */
  ModelCheck checkWithoutHashing(InstalledModel model) throws StoreException;

  /** {@link #checkWithoutHashing(InstalledModel)} of several models, in order. */
  default List<ModelCheck> checkWithoutHashing(List<InstalledModel> models) throws StoreException {
    List<ModelCheck> out = new java.util.ArrayList<>();
    for (InstalledModel m : models) {
      out.add(checkWithoutHashing(m));
    }
    return out;
  }

  StorageUse usage() throws StoreException;

  /**
   * Things diagnostics should tell, one line each, such as a link found inside the store and moved
   * aside. None by default.
   */
  default List<String> notices() throws StoreException {
    return List.of();
  }

  /** {@link #usage()}, given the models {@link #installed()} returned, so that they are not read again. */
  default StorageUse usage(List<InstalledModel> installed) throws StoreException {
    return usage();
  }
}
