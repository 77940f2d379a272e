package soko.runtime.manager;

import java.util.List;
import soko.runtime.Segment;

/**
 * What voice activity detection found.
 *
 * @param segments speech, in order; their text is empty
 * @param audioSeconds the length of the audio
 * @param model the VAD model that ran
 * @param timings where the time went
 */
public record SpeechRegions(List<Segment> segments, double audioSeconds, ModelUse model, Timings timings) {
  /**
   * Copies the segments.
   *
   * @param segments speech, in order; copied, not null
   * @param audioSeconds the length of the audio in seconds
   * @param model the VAD model that ran
   * @param timings where the time went
   */
  public SpeechRegions {
    segments = List.copyOf(segments);
  }
}
