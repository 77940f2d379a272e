package soko.engine.onnx.vad;

import java.nio.file.Files;
import java.nio.file.Path;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.testing.EngineContract;
import soko.runtime.EngineProvider;

/** Silero VAD on ONNX Runtime keeps the engine contract. */
class SileroVadContractTest extends EngineContract {
  private VerifiedModel model;

  @Override
  protected EngineProvider provider() {
    return new SileroVadProvider();
  }

  @Override
  protected VerifiedModel model(Path dir) throws Exception {
    if (model == null) {
      model = BundledSileroVad.copyTo(Files.createDirectories(dir.resolve("model")));
    }
    return model;
  }

  @Override
  protected Task task() {
    return Task.VAD;
  }
}
