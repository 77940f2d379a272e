package soko.engine.phrasebook;

import java.nio.file.Files;
import java.nio.file.Path;
import soko.manifest.Task;
import soko.model.VerifiedModel;
import soko.testing.EngineContract;
import soko.runtime.EngineProvider;

/** The demo phrasebook, with its bundled model, keeps the engine contract. */
class PhrasebookEngineContractTest extends EngineContract {
  private VerifiedModel model;

  @Override
  protected EngineProvider provider() {
    return new PhrasebookEngine();
  }

  @Override
  protected VerifiedModel model(Path dir) throws Exception {
    if (model == null) {
      model = PhrasebookModels.bundled(Files.createDirectories(dir.resolve("model")));
    }
    return model;
  }

  @Override
  protected Task task() {
    return Task.TRANSLATE;
  }
}
