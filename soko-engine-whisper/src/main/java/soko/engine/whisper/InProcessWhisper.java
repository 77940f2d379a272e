package soko.engine.whisper;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineException;
import soko.runtime.ModelUnavailableException;

/**
 * whisper.cpp in this JVM: no process start-up, but an abort inside whisper.cpp ends the host and
 * a slow call cannot be stopped. Only used when isolation is turned off.
 */
final class InProcessWhisper implements Transcriber {
  private final ModelRef model;
  private final int threads;
  private @Nullable NativeWhisper whisper;

  InProcessWhisper(ModelRef model, int threads) {
    this.model = model;
    this.threads = threads;
  }

  @Override
  public void start() throws EngineException {
    try {
      GgmlHeader.read(model.file());
    } catch (GgmlFormatException e) {
      throw new ModelUnavailableException(model.refusal(e.getMessage()));
    } catch (IOException e) {
      throw new ModelUnavailableException(model.loadFailure(ModelRef.UNREADABLE + " (" + e + ")"));
    }
    try {
      whisper = NativeWhisper.load(model.file());
    } catch (IOException | LinkageError e) {
      throw new ModelUnavailableException(model.loadFailure(String.valueOf(e.getMessage())));
    }
  }

  @Override
  public List<TimedText> transcribe(float[] samples, String language, boolean translate, Duration limit)
      throws EngineException {
    NativeWhisper w = whisper;
    if (w == null) {
      throw new IllegalStateException("not started");
    }
    try {
      return w.transcribe(samples, language, translate, threads);
    } catch (IOException e) {
      throw new EngineCrashedException("whisper.cpp " + e.getMessage() + " with model " + model.id(), e);
    }
  }

  @Override
  public void abort() {
    // Native code in this process cannot be interrupted.
  }

  @Override
  public void close() {
    NativeWhisper w = whisper;
    whisper = null;
    if (w != null) {
      w.close();
    }
  }
}
