package soko.runtime.manager;

import java.util.List;
import soko.manifest.Language;
import soko.runtime.Segment;

/**
 * Timed text for a recording.
 *
 * @param segments recognised text with times relative to the start of the recording
 * @param spoken the spoken language
 * @param english true when the text was translated into English
 * @param speech where VAD found speech; the recogniser ran only there
 * @param models the models that ran, VAD first
 * @param timings where the time went, for all the models together
 */
public record Transcript(List<Segment> segments, Language spoken, boolean english, List<Segment> speech,
    List<ModelUse> models, Timings timings) {
  /**
   * Copies the lists.
   *
   * @param segments recognised text; copied, not null
   * @param spoken the spoken language
   * @param english true when the text was translated into English
   * @param speech where VAD found speech; copied, not null
   * @param models the models that ran; copied, not null
   * @param timings where the time went
   */
  public Transcript {
    segments = List.copyOf(segments);
    speech = List.copyOf(speech);
    models = List.copyOf(models);
  }
}
