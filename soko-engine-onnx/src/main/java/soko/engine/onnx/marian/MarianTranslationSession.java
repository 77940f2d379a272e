package soko.engine.onnx.marian;

import ai.onnxruntime.OrtException;
import java.util.List;
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
 * A translation session over a loaded Marian model. Thread-safe: translations run concurrently;
 * {@link #close()} waits for running translations and then frees the model.
 */
final class MarianTranslationSession implements TranslationSession {
  private final VerifiedModel model;
  private final MarianModel marian;
  private final List<TaskSpec> specs;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  MarianTranslationSession(VerifiedModel model, MarianModel marian) {
    this.model = model;
    this.marian = marian;
    this.specs = model.manifest().tasks().stream().filter(t -> t.task() == Task.TRANSLATE).toList();
  }

  @Override
  public VerifiedModel model() {
    return model;
  }

  @Override
  public String translate(String text, Language from, Language to) throws EngineException {
    if (specs.stream().noneMatch(s -> s.languages().contains(from) && s.target().equals(java.util.Optional.of(to)))) {
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
      return marian.translator().translate(text, marian.translator().config().numBeams());
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
        marian.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
