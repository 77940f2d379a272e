package soko.runtime;

import soko.model.VerifiedModel;

/**
 * A loaded model. Sessions are thread-safe unless the implementing class says otherwise, and are
 * closed exactly once by whoever opened them. Calls after {@link #close()} fail with
 * {@link IllegalStateException}.
 */
public sealed interface EngineSession extends AutoCloseable
    permits VoiceActivitySession, SpeechSession, TranslationSession {
  /**
   * The model this session runs.
   *
   * @return the verified model it was opened with
   */
  VerifiedModel model();

  /** Frees the model. Never throws. */
  @Override
  void close();
}
