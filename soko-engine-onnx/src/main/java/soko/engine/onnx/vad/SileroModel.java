package soko.engine.onnx.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import soko.engine.onnx.OrtRuntime;
import soko.runtime.Audio;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineOptions;
import soko.runtime.ModelUnavailableException;

/**
 * A loaded Silero VAD v5/v6 network: one call scores one 32 ms window of 16 kHz audio, given the
 * 64 samples before it and the recurrent state, which it updates.
 *
 * <p>Thread-safe: ONNX Runtime sessions run concurrently, and the state lives with the caller.
 * {@link #close} waits for running calls; later calls fail with {@link IllegalStateException}.
 */
final class SileroModel implements AutoCloseable {
  /** New samples per window at 16 kHz. */
  static final int WINDOW = 512;
  /** Samples carried over from the previous window. */
  static final int CONTEXT = 64;
  /** Floats of recurrent state: [2, 1, 128]. */
  static final int STATE = 2 * 128;

  private static final long[] INPUT_SHAPE = {1, CONTEXT + WINDOW};
  private static final long[] STATE_SHAPE = {2, 1, 128};
  private static final Set<String> INPUTS = Set.of("input", "state", "sr");
  private static final Set<String> OUTPUTS = Set.of("output", "stateN");

  private final OrtEnvironment env;
  private final OrtSession session;
  private final OnnxTensor sampleRate;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private SileroModel(OrtEnvironment env, OrtSession session, OnnxTensor sampleRate) {
    this.env = env;
    this.session = session;
    this.sampleRate = sampleRate;
  }

  /**
   * Loads a model file.
   *
   * @param modelId names the model in messages, such as {@code silero-vad@6.0.0}
   */
  static SileroModel load(Path onnx, String modelId, EngineOptions options)
      throws EngineCrashedException, ModelUnavailableException {
    OrtEnvironment env = OrtRuntime.environment(options.scratch());
    OrtSession session;
    try (OrtSession.SessionOptions so = OrtRuntime.sessionOptions(options)) {
      session = env.createSession(onnx.toString(), so);
    } catch (OrtException e) {
      throw new EngineCrashedException(modelId + ": ONNX Runtime " + OrtRuntime.version() + " cannot load "
          + onnx.getFileName() + " (" + e.getMessage() + "); reinstall the model or run `soko verify`", e);
    }
    try {
      if (!session.getInputNames().equals(INPUTS) || !session.getOutputNames().equals(OUTPUTS)) {
        throw new ModelUnavailableException(modelId + ": " + onnx.getFileName() + " has inputs " + session.getInputNames()
            + " and outputs " + session.getOutputNames() + ", not Silero VAD v5/v6's [input, state, sr] and"
            + " [output, stateN]; install a Silero VAD v5 or v6 model");
      }
      OnnxTensor sr = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {Audio.SAMPLE_RATE}), new long[0]);
      return new SileroModel(env, session, sr);
    } catch (OrtException | ModelUnavailableException | RuntimeException e) {
      closeQuietly(session, e);
      if (e instanceof ModelUnavailableException m) {
        throw m;
      }
      throw new EngineCrashedException(modelId + ": ONNX Runtime failed preparing " + onnx.getFileName() + " ("
          + e.getMessage() + ")", e);
    }
  }

  /**
   * Native-order direct buffers that one caller reuses for every window it scores. ONNX Runtime
   * copies a heap buffer into a new direct buffer for each tensor, memory that only a garbage
   * collection gives back: over hours of audio (a window every 32 ms) that garbage outside the heap
   * grew the process by about 100 MiB between collections. A direct buffer in native order is used
   * as it is. Not thread-safe: one per stream.
   */
  static final class Buffers {
    private final FloatBuffer input = direct(CONTEXT + WINDOW);
    private final FloatBuffer state = direct(STATE);

    private static FloatBuffer direct(int floats) {
      return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
  }

  /**
   * Scores one window.
   *
   * @param input {@link #CONTEXT} samples of context then {@link #WINDOW} new samples
   * @param state the {@link #STATE} floats of recurrent state, replaced by the next state
   * @param buffers the caller's own, reused for every window
   * @return the speech probability
   */
  float score(float[] input, float[] state, Buffers buffers) throws EngineCrashedException {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the VAD session is closed");
      }
      buffers.input.clear();
      buffers.input.put(input).flip();
      buffers.state.clear();
      buffers.state.put(state).flip();
      try (OnnxTensor in = OnnxTensor.createTensor(env, buffers.input, INPUT_SHAPE);
          OnnxTensor st = OnnxTensor.createTensor(env, buffers.state, STATE_SHAPE);
          OrtSession.Result r = session.run(Map.of("input", in, "state", st, "sr", sampleRate))) {
        float p = tensor(r, "output").getFloatBuffer().get(0);
        FloatBuffer next = tensor(r, "stateN").getFloatBuffer();
        if (next.remaining() != STATE) {
          throw new EngineCrashedException("Silero VAD returned " + next.remaining() + " state values instead of " + STATE);
        }
        next.get(state);
        return p;
      } catch (OrtException e) {
        throw new EngineCrashedException("Silero VAD failed in ONNX Runtime: " + e.getMessage(), e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private static OnnxTensor tensor(OrtSession.Result r, String name) throws EngineCrashedException {
    OnnxValue v = r.get(name).orElseThrow(() -> new EngineCrashedException("Silero VAD returned no " + name));
    if (!(v instanceof OnnxTensor t)) {
      throw new EngineCrashedException("Silero VAD returned a " + v.getType() + " for " + name + " instead of a tensor");
    }
    return t;
  }

  /** Frees the native session once running calls finish. Never throws. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      sampleRate.close();
      try {
        session.close();
      } catch (OrtException e) {
        // Nothing useful to do: the native memory is released or lost either way.
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void closeQuietly(OrtSession session, Exception primary) {
    try {
      session.close();
    } catch (OrtException e) {
      primary.addSuppressed(e);
    }
  }
}
