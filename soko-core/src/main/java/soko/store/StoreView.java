package soko.store;

import java.util.List;

/**
 * The read-only side of the store, which is all the inventory sees. Implementations are
 * thread-safe.
 */
public interface StoreView {
  /**
   * Where the store is.
   *
   * @return the store's roots
   */
  StoreRoots roots();

  /**
   * The installed models.
   *
   * @return every installed model, one per name
   * @throws StoreException if the store cannot be read, or a model's record is damaged
   */
  List<InstalledModel> installed() throws StoreException;

  /**
   * Checks without hashing: records and {@code stat} only.
   *
   * @param model an installed model
   * @return the state of each of its files
   * @throws StoreException if the store cannot be read
   */
  ModelCheck checkWithoutHashing(InstalledModel model) throws StoreException;

  /**
   * {@link #checkWithoutHashing(InstalledModel)} of several models, in order.
   *
   * @param models installed models
   * @return one check per model, in the same order
   * @throws StoreException if the store cannot be read
   */
  default List<ModelCheck> checkWithoutHashing(List<InstalledModel> models) throws StoreException {
    List<ModelCheck> out = new java.util.ArrayList<>();
    for (InstalledModel m : models) {
      out.add(checkWithoutHashing(m));
    }
    return out;
  }

  /**
   * How much space the store uses.
   *
   * @return bytes and counts per kind of file, and the free space
   * @throws StoreException if the store cannot be read
   */
  StorageUse usage() throws StoreException;

  /**
   * Things diagnostics should tell, one line each, such as a link found inside the store and moved
   * aside. None by default.
   *
   * @return the notices, one line each; empty when there is nothing to tell
   * @throws StoreException if the store cannot be read
   */
  default List<String> notices() throws StoreException {
    return List.of();
  }

  /**
   * {@link #usage()}, given the models {@link #installed()} returned, so that they are not read
   * again.
   *
   * @param installed what {@link #installed()} returned
   * @return as {@link #usage()}
   * @throws StoreException if the store cannot be read
   */
  default StorageUse usage(List<InstalledModel> installed) throws StoreException {
    return usage();
  }
}
