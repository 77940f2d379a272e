package soko.runtime;

import soko.manifest.Manifest;
import soko.manifest.Task;
import soko.model.VerifiedModel;

/**
 * An engine, found with {@link java.util.ServiceLoader}. Engines receive verified models only;
 * they never touch the store, the network or settings.
 *
 * <p>Implementations are thread-safe and cheap to construct: loading happens in {@link #open}.
 */
public interface EngineProvider {
  EngineInfo info();

  /** True when this engine can run {@code task} with this model (engine id and version range match). */
  default boolean accepts(Manifest manifest, Task task) {
    EngineInfo info = info();
    return manifest.engine().id().equals(info.id())
        && manifest.engine().versions().contains(info.version())
        && manifest.tasks().stream().anyMatch(t -> t.task() == task)
        && info.capabilities().stream().anyMatch(c -> c.task() == task);
  }

  /**
   * Loads a model for one task. Every implementation first calls {@link #requireUnchanged} and
   * refuses, with an {@link EngineException}, a task it does not run for this model.
   *
   * @return a session of the type for the task: {@link VoiceActivitySession} for vad,
   *     {@link SpeechSession} for asr and speech-translate, {@link TranslationSession} for translate
   */
  EngineSession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException;

  /**
   * Refuses a model whose files changed since the store verified them (one {@code stat} each): the
   * verification covered the files as they were.
   */
  static void requireUnchanged(VerifiedModel model) throws ModelUnavailableException {
    java.util.List<String> changed = model.changedSinceVerified();
    if (!changed.isEmpty()) {
      throw new ModelUnavailableException("model " + model.manifest().id() + " changed since it was verified ("
          + String.join(", ", changed) + "); open the model again, so that Soko verifies it again (or run `soko verify"
          + " --full`)");
    }
  }

  /** Hardware-specific extras the engine detected, such as ONNX Runtime execution providers; empty by default. */
  default java.util.Map<String, String> probe() {
    return java.util.Map.of();
  }
}
