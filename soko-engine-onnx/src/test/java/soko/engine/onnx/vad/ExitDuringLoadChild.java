package soko.engine.onnx.vad;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import soko.runtime.EngineOptions;

/**
 * The child JVM of {@link ExitDuringLoadTest}: three threads load and close the Silero model in a
 * loop, and once the first load is done the main thread calls {@code System.exit(0)} after {@code
 * MILLIS}, in the middle of other loads. Arguments: SCRATCH ONNX MILLIS.
 */
final class ExitDuringLoadChild {
  private ExitDuringLoadChild() {}

  public static void main(String[] args) throws Exception {
    EngineOptions options = new EngineOptions(1, Path.of(args[0]), false);
    Path onnx = Path.of(args[1]);
    long millis = Long.parseLong(args[2]);
    CountDownLatch loaded = new CountDownLatch(1);
    for (int t = 0; t < 3; t++) {
      Thread th = new Thread(() -> {
        while (true) {
          try {
            SileroModel.load(onnx, "silero-vad@test", options).close();
            loaded.countDown();
          } catch (Exception e) {
            System.out.println("load failed: " + e);
            return;
          }
        }
      });
      th.setDaemon(true);
      th.start();
    }
    loaded.await();
    Thread.sleep(millis);
    System.out.println("exiting");
    System.exit(0);
  }
}
