package soko.runtime;

import java.nio.file.Path;

/**
 * How to run an engine: the thread count, and a private folder for scratch files the engine may
 * need (native library extraction, child-process sockets). Engines never read settings themselves.
 * Immutable and thread-safe.
 *
 * @param threads worker threads per session, at least 1
 * @param scratch a folder inside Soko's cache root the engine may write to
 * @param isolate run native code in a child process so that a crash cannot kill the host
 */
public record EngineOptions(int threads, Path scratch, boolean isolate) {
  /**
   * Checks the options.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public EngineOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1");
    }
  }
}
