package soko.engine.whisper;

import java.nio.file.Path;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.testing.EngineContract;
import soko.runtime.EngineProvider;
import soko.testkit.ggml.WhisperTestModel;

/** whisper.cpp, in process, with a generated tiny multilingual model, keeps the engine contract. */
class WhisperEngineContractTest extends EngineContract {
  private VerifiedModel model;

  @Override
  protected EngineProvider provider() {
    return new WhisperEngineProvider();
  }

  @Override
  protected VerifiedModel model(Path dir) throws Exception {
    if (model == null) {
      model = TestModels.verified(WhisperTestModel.tinyMultilingual().writeTo(dir.resolve(TestModels.FILE_NAME)));
    }
    return model;
  }

  @Override
  protected Task task() {
    return Task.ASR;
  }
}
