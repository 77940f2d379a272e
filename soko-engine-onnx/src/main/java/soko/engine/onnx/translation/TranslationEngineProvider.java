package soko.engine.onnx.translation;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import soko.engine.onnx.OrtRuntime;
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
 * Text translation with sequence-to-sequence models exported by Hugging Face Optimum, on ONNX
 * Runtime: OPUS-MT and other Marian models, M2M100 and NLLB-200. Shares the engine id
 * {@code onnxruntime} with the other ONNX engines and is told apart by its task: it only accepts
 * {@code translate}. How a model is recognised is described in the package documentation.
 *
 * <p>Thread-safe; loading happens in {@link #open}.
 */
public final class TranslationEngineProvider implements EngineProvider {
  public static final String ENGINE_ID = "onnxruntime";
  /** The ONNX Runtime version this module is built against, matched against manifests' engine ranges. */
  public static final String ENGINE_VERSION = "1.29.0";

  private static final EngineInfo INFO = new EngineInfo(ENGINE_ID, ENGINE_VERSION,
      List.of(TaskSpec.translate(Language.JA, Language.EN), TaskSpec.translate(Language.KO, Language.EN)),
      new HardwareNeeds(768L << 20, Set.of(), false, true),
      "Text translation on ONNX Runtime: Marian (OPUS-MT), M2M100 and NLLB exports, pure-Java tokenizers");

  public TranslationEngineProvider() {}

  @Override
  public EngineInfo info() {
    return INFO;
  }

  @Override
  public EngineSession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException {
    EngineProvider.requireUnchanged(model);
    if (task != Task.TRANSLATE) {
      throw new ModelUnavailableException("the ONNX translation engine only translates text; "
          + model.manifest().id() + " cannot run " + task + " with it");
    }
    try {
      // Everything that can be checked without native code first, including every language the
      // manifest promises: a mismatch is refused before ONNX Runtime loads anything.
      TranslationModel.Prepared prepared = TranslationModel.prepare(model.files());
      for (TaskSpec spec : model.manifest().tasks()) {
        if (spec.task() != Task.TRANSLATE) {
          continue;
        }
        for (Language from : spec.languages()) {
          prepared.codec().wrap(new int[0], from);
        }
        Optional<Language> to = spec.target();
        if (to.isPresent()) {
          prepared.codec().forcedFirstToken(to.get());
        }
      }
      TranslationModel loaded = TranslationModel.load(OrtRuntime.environment(options.scratch()), model.files(),
          options.threads());
      return new OnnxTranslationSession(model, loaded);
    } catch (ModelFormatException e) {
      ModelUnavailableException u = new ModelUnavailableException(model.manifest().id()
          + " is not a usable translation model: " + e.getMessage() + "; reinstall it or fix its manifest");
      u.initCause(e);
      throw u;
    } catch (TextCodec.UnsupportedLanguageException e) {
      ModelUnavailableException u = new ModelUnavailableException(model.manifest().id()
          + " does not match its manifest: " + e.getMessage() + "; fix the manifest's translate tasks");
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
