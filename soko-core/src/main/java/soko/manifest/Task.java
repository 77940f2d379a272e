package soko.manifest;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a model does. Closed set: an unknown task in a manifest is refused. */
public enum Task {
  /** Voice activity detection: where is speech in this audio. */
  VAD("vad"),
  /** Speech recognition: speech to text in the same language. */
  ASR("asr"),
  /** Speech to English text. */
  SPEECH_TRANSLATE("speech-translate"),
  /** Text to text in another language. */
  TRANSLATE("translate");

  private final String id;

  Task(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Task parse(String id) {
    for (Task t : values()) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task \"" + id + "\"; known tasks: " + known());
  }

  public static String known() {
    return Arrays.stream(values()).map(Task::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
