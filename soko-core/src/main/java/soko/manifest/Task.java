package soko.manifest;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a model does. Closed set: an unknown task in a manifest is refused. Immutable and
 * thread-safe.
 */
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

  /**
   * The task's name in manifests and on the command line.
   *
   * @return such as {@code speech-translate}
   */
  public String id() {
    return id;
  }

  /**
   * Reads a task's name.
   *
   * @param id the name, such as {@code asr}; compared exactly
   * @return the task
   * @throws IllegalArgumentException if no task has that name (the message lists the known ones)
   */
  public static Task parse(String id) {
    for (Task t : values()) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task \"" + id + "\"; known tasks: " + known());
  }

  /**
   * For error messages.
   *
   * @return the names of every task, comma-separated
   */
  public static String known() {
    return Arrays.stream(values()).map(Task::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
