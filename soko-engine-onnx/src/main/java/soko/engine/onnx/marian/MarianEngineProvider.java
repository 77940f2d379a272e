package soko.engine.onnx.marian;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineException;
import soko.runtime.EngineInfo;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.EngineSession;
import soko.runtime.HardwareNeeds;
import soko.runtime.ModelUnavailableException;

/**
 * Text translation with OPUS-MT and other Marian-architecture models exported by Hugging Face
 * Optimum, on ONNX Runtime. Shares the engine id {@code onnxruntime} with the other ONNX engines
 * and is told apart by its task: it only accepts {@code translate}.
 *
 * <p>A model's manifest lists {@code encoder_model*.onnx}, {@code decoder_model_merged*.onnx},
 * {@code source.spm}, {@code target.spm}, {@code vocab.json}, {@code config.json} and optionally
 * {@code generation_config.json}. Thread-safe; loading happens in {@link #open}.
 */
public final class MarianEngineProvider implements EngineProvider {
  public static final String ENGINE_ID = "onnxruntime";
  /** The ONNX Runtime version this module is built against, matched against manifests' engine ranges. */
  public static final String ENGINE_VERSION = "1.29.0";

  private static final EngineInfo INFO = new EngineInfo(ENGINE_ID, ENGINE_VERSION,
      List.of(TaskSpec.translate(Language.JA, Language.EN), TaskSpec.translate(Language.KO, Language.EN)),
      new HardwareNeeds(768L << 20, Set.of(), false, true),
      "Marian (OPUS-MT) text translation on ONNX Runtime, pure-Java SentencePiece");

  public MarianEngineProvider() {}

  @Override
  public EngineInfo info() {
    return INFO;
  }

  @Override
  public EngineSession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException {
    if (task != Task.TRANSLATE) {
      throw new ModelUnavailableException("the Marian engine only translates text; " + model.manifest().id()
          + " cannot run " + task + " with it");
    }
    try {
      MarianModel marian = MarianModel.load(soko.engine.onnx.OrtRuntime.environment(options.scratch()), model.files(), options.threads());
      return new MarianTranslationSession(model, marian);
    } catch (ModelFormatException e) {
      ModelUnavailableException u = new ModelUnavailableException(model.manifest().id()
          + " is not a usable Marian model: " + e.getMessage() + "; reinstall it or fix its manifest");
      u.initCause(e);
      throw u;
    } catch (IOException e) {
      ModelUnavailableException u = new ModelUnavailableException("cannot read a file of " + model.manifest().id()
          + ": " + e.getMessage() + "; run `soko verify " + model.manifest().name() + "`");
      u.initCause(e);
      throw u;
    } catch (OrtException e) {
      throw new EngineCrashedException("ONNX Runtime could not load " + model.manifest().id() + ": " + e.getMessage(), e);
    }
  }
}
