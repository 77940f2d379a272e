package soko.engine.whisper;

import java.time.Duration;
import java.util.List;
import soko.runtime.EngineException;

/**
 * Runs one loaded whisper.cpp model, in a child process or in this one. Not thread-safe: the
 * session serialises calls, except {@link #abort()}.
 */
sealed interface Transcriber permits ChildWhisper, InProcessWhisper {
  /** Loads the model; called once, before any other method. */
  void start() throws EngineException;

  /**
   * @param limit how long the call may take before the transcriber gives up and stops the native
   *     code (in-process transcribers cannot stop it and ignore the limit)
   */
  List<TimedText> transcribe(float[] samples, String language, boolean translate, Duration limit) throws EngineException;

  /** Stops native work now, from any thread; the call in progress fails. Best effort. */
  void abort();

  /** Frees the model and everything started for it. Idempotent. */
  void close();
}
