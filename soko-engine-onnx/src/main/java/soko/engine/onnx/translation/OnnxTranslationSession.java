package soko.engine.onnx.translation;

import ai.onnxruntime.OrtException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.model.VerifiedModel;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineException;
import soko.runtime.ModelUnavailableException;
import soko.runtime.TranslationSession;

/**
 * A translation session over a loaded model. Thread-safe: translations run concurrently;
 * {@link #close()} waits for running translations and then frees the model.
 */
final class OnnxTranslationSession implements TranslationSession {
  private final VerifiedModel model;
  private final TranslationModel loaded;
  private final List<TaskSpec> specs;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  OnnxTranslationSession(VerifiedModel model, TranslationModel loaded) {
    this.model = model;
    this.loaded = loaded;
    this.specs = model.manifest().tasks().stream().filter(t -> t.task() == Task.TRANSLATE).toList();
  }

  @Override
  public VerifiedModel model() {
    return model;
  }

  @Override
  public String translate(String text, Language from, Language to) throws EngineException {
    if (specs.stream().noneMatch(s -> s.languages().contains(from) && s.target().equals(Optional.of(to)))) {
      throw new ModelUnavailableException(model.manifest().id() + " translates " + specs.stream()
          .map(TaskSpec::toString).toList() + ", not " + from + "→" + to + "; install a model for " + from + "→" + to);
    }
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("this translation session for " + model.manifest().id() + " is closed");
      }
      if (text.isBlank()) {
        return text;
      }
      return loaded.translator().translate(text, from, to, loaded.translator().config().numBeams());
    } catch (TextCodec.UnsupportedLanguageException e) {
      ModelUnavailableException u = new ModelUnavailableException(model.manifest().id() + " cannot translate "
          + from + "→" + to + ": " + e.getMessage() + "; its manifest lists a language its tokenizer lacks");
      u.initCause(e);
      throw u;
    } catch (OrtException e) {
      throw new EngineCrashedException("ONNX Runtime failed while translating with " + model.manifest().id() + ": "
          + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        loaded.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
