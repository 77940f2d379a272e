package soko.acquisition;

import java.nio.file.Path;
import soko.manifest.ModelFile;
import soko.store.StoreException;
import soko.verification.IntegrityException;

/**
 * Where {@link Downloader#fetchInto} puts verified files: the store, in Soko. Both methods are
 * called while the file's download lock is held, so another install of the same file waits until
 * the file is published (and then finds it there).
 */
public interface Destination {
  /** True when the file's bytes are already there and verified (another install may have put them). */
  boolean holds(ModelFile file) throws StoreException;

  /** Takes the complete, verified file at {@code verified}, moving it away from there. */
  void publish(ModelFile file, Path verified) throws StoreException, IntegrityException;
}
