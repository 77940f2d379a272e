package soko.store;

import java.util.List;

/** The read-only side of the store, which is all the inventory sees. */
public interface StoreView {
  StoreRoots roots();

  List<InstalledModel> installed() throws StoreException;

  /** Checks without hashing: records and {@code stat} only. */
  ModelCheck checkWithoutHashing(InstalledModel model) throws StoreException;

  StorageUse usage() throws StoreException;
}
