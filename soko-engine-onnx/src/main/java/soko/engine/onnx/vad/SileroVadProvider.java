package soko.engine.onnx.vad;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import soko.engine.onnx.OrtRuntime;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineException;
import soko.runtime.EngineInfo;
import soko.runtime.EngineOptions;
import soko.runtime.EngineProvider;
import soko.runtime.HardwareNeeds;
import soko.runtime.ModelUnavailableException;
import soko.runtime.VoiceActivitySession;

/**
 * Silero VAD v5/v6 on ONNX Runtime, engine id {@value #ENGINE_ID}, version the ONNX Runtime
 * version in use. Opens a model's {@code .onnx} file as a {@link VoiceActivitySession}.
 *
 * <p>Runs in-process on the CPU; {@link EngineOptions#isolate()} is not needed for ONNX Runtime
 * and is ignored. Thread-safe and cheap to construct: nothing native loads before {@link #open}.
 */
public final class SileroVadProvider implements EngineProvider {
  public static final String ENGINE_ID = "onnxruntime";
  /** The model and ONNX Runtime's arena for it take about 20 MB; 64 MiB leaves room. */
  private static final long MIN_MEMORY = 64L << 20;

  private final VadOptions vadOptions;

  /** With {@link VadOptions#DEFAULTS}; the constructor {@link java.util.ServiceLoader} uses. */
  public SileroVadProvider() {
    this(VadOptions.DEFAULTS);
  }

  public SileroVadProvider(VadOptions vadOptions) {
    this.vadOptions = vadOptions;
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo(ENGINE_ID, OrtRuntime.version(), List.of(TaskSpec.vad()),
        new HardwareNeeds(MIN_MEMORY, Set.of(), false, true),
        "Silero VAD on ONNX Runtime " + OrtRuntime.version() + " (CPU)");
  }

  /**
   * Loads the model's first {@code .onnx} file.
   *
   * @return a {@link VoiceActivitySession}
   * @throws IllegalArgumentException when {@code task} is not {@link Task#VAD}
   * @throws ModelUnavailableException when the model is not for this engine or is not a Silero VAD model
   * @throws soko.runtime.EngineCrashedException when ONNX Runtime cannot load it
   */
  @Override
  public VoiceActivitySession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException {
    EngineProvider.requireUnchanged(model);
    if (task != Task.VAD) {
      throw new ModelUnavailableException("the Silero VAD engine runs vad, not " + task);
    }
    String id = model.manifest().id();
    if (!accepts(model.manifest(), task)) {
      throw new ModelUnavailableException(id + " needs engine " + model.manifest().engine().id() + " "
          + model.manifest().engine().versions() + " for vad, but this is " + ENGINE_ID + " " + OrtRuntime.version()
          + " running Silero VAD; install a model made for it");
    }
    Path onnx = model.fileEndingWith(".onnx").orElseThrow(() -> new ModelUnavailableException(
        id + " has no .onnx file; its manifest lists " + model.files().keySet()));
    return new SileroVadSession(model, SileroModel.load(onnx, id, options), vadOptions);
  }

  /** ONNX Runtime's version and execution providers, such as {@code executionProviders=CPU}. */
  @Override
  public Map<String, String> probe() {
    return OrtRuntime.probe();
  }
}
