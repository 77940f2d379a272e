package soko.runtime.manager;

import java.util.concurrent.atomic.AtomicBoolean;
import soko.runtime.EngineSession;

/**
 * The use of a shared, loaded model session. Close it when done (try-with-resources); the session
 * itself stays loaded for other callers until it is idle for the configured time or the memory
 * budget needs the room. Never close {@link #session()} directly.
 *
 * <p>A lease is for one caller; {@link #close()} may be called more than once. The session may be
 * used from several threads as its own contract says.
 *
 * @param <S> the kind of session
 */
public final class Lease<S extends EngineSession> implements AutoCloseable {
  private final SessionPool.Entry entry;
  private final S session;
  private final ModelUse use;
  private final AtomicBoolean closed = new AtomicBoolean();

  Lease(SessionPool.Entry entry, S session, ModelUse use) {
    this.entry = entry;
    this.session = session;
    this.use = use;
  }

  /**
   * The shared session. Fails once this lease is closed.
   *
   * @return the session
   * @throws IllegalStateException when this lease is closed
   */
  public S session() {
    if (closed.get()) {
      throw new IllegalStateException("the lease on " + use.model() + " is closed");
    }
    return session;
  }

  /**
   * Which model this is and whether this call loaded it.
   *
   * @return the model's use; available after close too
   */
  public ModelUse model() {
    return use;
  }

  /**
   * Takes the session out of the pool (after its engine crashed, say), so that the next use loads
   * the model again through a fresh verification; it is closed once every lease on it is closed.
   */
  public void discard() {
    entry.discard();
  }

  @Override
  public void close() {
    if (!closed.getAndSet(true)) {
      entry.release();
    }
  }
}
