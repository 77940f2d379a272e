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
  /**
   * What the engine is and runs. Must not load native code or models.
   *
   * @return the engine's id, version, capabilities and needs; the same on every call
   */
  EngineInfo info();

  /**
   * Whether this engine can run {@code task} with a model.
   *
   * @param manifest the model's manifest
   * @param task the task asked for
   * @return true when the engine id matches, the engine's version is in the manifest's range, and
   *     both the model and the engine do {@code task}
   */
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
   * @param model the verified model
   * @param task the task the session is for
   * @param options threads, scratch folder and isolation
   * @return a session of the type for the task: {@link VoiceActivitySession} for vad,
   *     {@link SpeechSession} for asr and speech-translate, {@link TranslationSession} for translate
   * @throws ModelUnavailableException if the model's files changed since they were verified
   * @throws EngineCrashedException if the native runtime or its isolated process fails while loading
   * @throws EngineException if the engine does not run {@code task} for this model (engines throw
   *     it as such or as {@link ModelUnavailableException}), or the model cannot be loaded (the
   *     message says why)
   */
  EngineSession open(VerifiedModel model, Task task, EngineOptions options) throws EngineException;

  /**
   * Refuses a model whose files changed since the store verified them (one {@code stat} each): the
   * verification covered the files as they were.
   *
   * @param model the model about to be loaded
   * @throws ModelUnavailableException if a file changed, naming the files and how to verify again
   */
  static void requireUnchanged(VerifiedModel model) throws ModelUnavailableException {
    java.util.List<String> changed = model.changedSinceVerified();
    if (!changed.isEmpty()) {
      throw new ModelUnavailableException("model " + model.manifest().id() + " changed since it was verified ("
          + String.join(", ", changed) + "); open the model again, so that Soko verifies it again (or run `soko verify"
          + " --full`)");
    }
  }

  /**
   * Hardware-specific extras the engine detected, for Diagnostics. May load native code.
   *
   * @return name to value, such as ONNX Runtime's execution providers; empty by default
   */
  default java.util.Map<String, String> probe() {
    return java.util.Map.of();
  }
}
