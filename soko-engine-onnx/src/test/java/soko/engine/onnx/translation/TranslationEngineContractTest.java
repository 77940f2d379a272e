package soko.engine.onnx.translation;

import java.nio.file.Path;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.testing.EngineContract;
import soko.runtime.EngineProvider;

/** The ONNX translation engine, with a tiny random-weight Marian export, keeps the engine contract. */
class TranslationEngineContractTest extends EngineContract {
  private VerifiedModel model;

  @Override
  protected EngineProvider provider() {
    return new TranslationEngineProvider();
  }

  @Override
  protected VerifiedModel model(Path dir) throws Exception {
    if (model == null) {
      model = TinyModelDir.verified("tiny-marian",
          TinyModelDir.write(dir.resolve("model"), TinyModelDir.Options.of(TinyMarian.Geometry.small(300))));
    }
    return model;
  }

  @Override
  protected Task task() {
    return Task.TRANSLATE;
  }
}
