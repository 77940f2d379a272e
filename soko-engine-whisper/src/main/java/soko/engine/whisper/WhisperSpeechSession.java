package soko.engine.whisper;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.Audio;
import soko.runtime.EngineException;
import soko.runtime.ModelUnavailableException;
import soko.runtime.Segment;
import soko.runtime.SpeechSession;

/**
 * A whisper.cpp model ready to transcribe. Thread-safe: calls are serialised, because one
 * whisper.cpp context (and one child process) does one thing at a time. {@link #close()} may be
 * called from any thread; a call in progress then fails.
 */
final class WhisperSpeechSession implements SpeechSession {
  private final VerifiedModel model;
  private final Transcriber transcriber;
  private final WhisperEngineProvider.Timeouts timeouts;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  WhisperSpeechSession(VerifiedModel model, Transcriber transcriber, WhisperEngineProvider.Timeouts timeouts) {
    this.model = model;
    this.transcriber = transcriber;
    this.timeouts = timeouts;
  }

  @Override
  public VerifiedModel model() {
    return model;
  }

  @Override
  public List<Segment> transcribe(Audio audio, Language language, boolean translateToEnglish) throws EngineException {
    Task task = translateToEnglish ? Task.SPEECH_TRANSLATE : Task.ASR;
    Optional<Language> target = translateToEnglish ? Optional.of(Language.EN) : Optional.empty();
    boolean declared = model.manifest().tasks().stream().anyMatch(t -> t.covers(task, Optional.of(language), target));
    if (!declared) {
      throw new ModelUnavailableException("model " + model.manifest().id() + " does not do " + task.id() + " for "
          + language + "; it does " + model.manifest().tasks().stream().map(TaskSpec::toString).toList()
          + ": install a model that does");
    }
    lock.lock();
    try {
      if (closed.get()) {
        throw new IllegalStateException("the whisper.cpp session for " + model.manifest().id() + " is closed");
      }
      if (audio.length() == 0) {
        return List.of();
      }
      Duration limit = timeouts.limitFor(audio.duration());
      List<TimedText> raw = transcriber.transcribe(audio.toArray(), language.code(), translateToEnglish, limit);
      return raw.stream()
          .map(t -> new Segment(Duration.ofMillis(t.startMillis()), Duration.ofMillis(t.endMillis()), t.text()))
          .toList();
    } finally {
      lock.unlock();
    }
  }

  /** The child process while one runs; empty in-process or between a crash and the next call. */
  Optional<ProcessHandle> childProcess() {
    return transcriber instanceof ChildWhisper child ? child.process() : Optional.empty();
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    if (!lock.tryLock()) {
      transcriber.abort();
      lock.lock();
    }
    try {
      transcriber.close();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "WhisperSpeechSession[" + model.manifest().id() + "]";
  }
}
