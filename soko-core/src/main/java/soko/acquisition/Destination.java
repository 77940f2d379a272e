package soko.acquisition;

import java.nio.file.Path;
import soko.manifest.ModelFile;
import soko.store.StoreException;
import soko.verification.IntegrityException;

/**
 * Where {@link Downloader#fetchInto} puts verified files: the store, in Soko. Both methods are
 * called while the file's download lock is held, so another install of the same file waits until
 * the file is published (and then finds it there).
 *
 * <p>Implementations must be thread-safe: files of one fetch are published from several threads.
 */
public interface Destination {
  /**
   * Whether the file is already there.
   *
   * @param file the manifest's entry for the file
   * @return true when the file's bytes are already there and verified (another install may have put
   *     them), so nothing needs fetching
   * @throws StoreException if the destination cannot be read
   */
  boolean holds(ModelFile file) throws StoreException;

  /**
   * Takes the complete, verified file at {@code verified}, moving it away from there.
   *
   * @param file the manifest's entry for the file
   * @param verified a complete file in the downloads folder whose size and sha256 matched {@code
   *     file}
   * @throws StoreException if the destination cannot take the file (such as a write failure)
   * @throws IntegrityException if the destination's own check finds other bytes than {@code file}
   *     names
   */
  void publish(ModelFile file, Path verified) throws StoreException, IntegrityException;
}
