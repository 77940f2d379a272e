package soko.runtime;

import java.util.List;

/** Voice activity detection: where is speech. Thread-safe, as {@link EngineSession} says. */
public non-sealed interface VoiceActivitySession extends EngineSession {
  /**
   * Finds speech in a whole clip.
   *
   * @param audio 16 kHz mono audio
   * @return speech segments in the audio, in order, not overlapping; their text is empty
   * @throws EngineCrashedException if the native engine or its process fails
   * @throws EngineException if the audio cannot be processed
   */
  List<Segment> detect(Audio audio) throws EngineException;

  /**
   * A stream over chunks of 16 kHz mono audio that reports each speech segment once it has ended.
   * A stream is not thread-safe; use one per audio source.
   *
   * @return a new stream; the caller closes it
   */
  Stream stream();

  /** Streaming detection. Not thread-safe. */
  interface Stream extends AutoCloseable {
    /**
     * Feeds samples.
     *
     * @param samples16kMono the next samples, 16 kHz mono in [-1, 1]; any length
     * @return the segments that ended within what has been fed so far and were not returned before,
     *     in order; often empty
     * @throws EngineException if the engine fails (as {@link EngineCrashedException} for a native
     *     failure)
     */
    List<Segment> accept(float[] samples16kMono) throws EngineException;

    /**
     * Ends the audio.
     *
     * @return the segment still open, if any (at most one)
     * @throws EngineException if the engine fails
     */
    List<Segment> finish() throws EngineException;

    @Override
    void close();
  }
}
