import java.nio.file.Path;
import java.time.Clock;
import soko.store.FileState;
import soko.store.ModelCheck;
import soko.store.Store;
import soko.store.StoreRoots;
import soko.store.VerifyMode;

/**
 * Re-verifies every installed model of a store by stat only (VerifyMode.CACHED on unchanged files,
 * the check `soko list` and verify-before-use make), in a fresh process: bench/index.sh times it.
 * Usage: StoreCheck HOME [cached|full|whole] [NAME]; prints models, files and the in-process milliseconds.
 */
public class StoreCheck {
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    Path home = Path.of(args[0]);
    Store store = Store.open(new StoreRoots(home.resolve("data"), home.resolve("cache"), home.resolve("library")),
        Clock.systemUTC());
    long t1 = System.nanoTime();
    VerifyMode mode = args.length > 1 ? VerifyMode.valueOf(args[1].toUpperCase(java.util.Locale.ROOT)) : VerifyMode.CACHED;
    var installed = args.length > 2 ? java.util.List.of(store.require(soko.manifest.ModelName.parse(args[2])))
        : store.installed();
    long t2 = System.nanoTime();
    var checks = store.check(installed, mode);
    long t3 = System.nanoTime();
    int files = 0;
    int rehashed = 0;
    for (ModelCheck c : checks) {
      if (c.state() != FileState.VERIFIED) {
        throw new IllegalStateException(c.model().manifest().id() + " is " + c.state());
      }
      files += c.files().size();
      rehashed += (int) c.files().stream().filter(f -> f.rehashed()).count();
    }
    System.out.printf("%d models, %d files, %d re-hashed, %.1f ms in-process (open %.1f, refs and manifests %.1f,"
        + " check %.1f)%n", checks.size(), files, rehashed, (System.nanoTime() - t0) / 1e6, (t1 - t0) / 1e6,
        (t2 - t1) / 1e6, (t3 - t2) / 1e6);
  }
}
