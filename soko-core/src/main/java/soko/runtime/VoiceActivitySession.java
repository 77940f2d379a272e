package soko.runtime;

import java.util.List;

/** Voice activity detection: where is speech. */
public non-sealed interface VoiceActivitySession extends EngineSession {
  /** Speech segments in the audio, in order, not overlapping; their text is empty. */
  List<Segment> detect(Audio audio) throws EngineException;

  /**
   * A stream over chunks of 16 kHz mono audio that reports each speech segment once it has ended.
   * A stream is not thread-safe; use one per audio source.
   */
  Stream stream();

  /** Streaming detection. */
  interface Stream extends AutoCloseable {
    /** Feeds samples; returns segments that ended within what has been fed so far. */
    List<Segment> accept(float[] samples16kMono) throws EngineException;

    /** Ends the audio; returns the segment still open, if any. */
    List<Segment> finish() throws EngineException;

    @Override
    void close();
  }
}
