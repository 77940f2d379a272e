package soko.runtime.manager;

import java.time.Duration;
import java.util.Optional;
import soko.inventory.Machine;
import soko.runtime.cloud.CloudEndpoint;

/**
 * How models run: read once from the environment by {@code soko.app} (its variables are below) and
 * passed to {@link Engines}.
 *
 * <table>
 *   <caption>Runtime settings</caption>
 *   <tr><th>setting</th><th>environment</th><th>default</th></tr>
 *   <tr><td>engine threads per session</td><td>SOKO_THREADS</td><td>the machine's cores</td></tr>
 *   <tr><td>unload a model idle this long</td><td>SOKO_IDLE_UNLOAD_SECONDS (0 = as soon as unused)</td><td>300</td></tr>
 *   <tr><td>memory for loaded models (estimated by model size)</td><td>SOKO_MEMORY_BUDGET_MB</td><td>half the machine's memory, or 4096</td></tr>
 *   <tr><td>run native engines in a child process</td><td>SOKO_ISOLATE (0 = in this process)</td><td>on</td></tr>
 *   <tr><td>remote engine (none by default)</td><td>SOKO_CLOUD_PROVIDER, SOKO_CLOUD_ENDPOINT, SOKO_CLOUD_TASKS</td><td>none</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 *
 * @param threads worker threads per engine session, at least 1
 * @param idleUnload how long an unused model stays loaded; zero unloads it when its last user is done
 * @param memoryBudgetBytes models stay loaded while their estimated sizes fit; the least recently used idle ones go first
 * @param isolate run native engines (whisper.cpp) in a child process
 * @param cloud the remote engine the user configured, if any; empty unless set explicitly
 */
public record RuntimeSettings(int threads, Duration idleUnload, long memoryBudgetBytes, boolean isolate,
    Optional<CloudEndpoint> cloud) {
  /** The environment variable of {@link #threads()}. */
  public static final String ENV_THREADS = "SOKO_THREADS";
  /** The environment variable of {@link #idleUnload()}, in seconds. */
  public static final String ENV_IDLE_UNLOAD = "SOKO_IDLE_UNLOAD_SECONDS";
  /** The environment variable of {@link #memoryBudgetBytes()}, in MiB. */
  public static final String ENV_MEMORY_BUDGET = "SOKO_MEMORY_BUDGET_MB";
  /** The environment variable of {@link #isolate()}; {@code 0} runs native engines in this process. */
  public static final String ENV_ISOLATE = "SOKO_ISOLATE";
  /** The environment variable naming the remote engine's provider. */
  public static final String ENV_CLOUD_PROVIDER = "SOKO_CLOUD_PROVIDER";
  /** The environment variable giving the remote engine's endpoint. */
  public static final String ENV_CLOUD_ENDPOINT = "SOKO_CLOUD_ENDPOINT";
  /** The environment variable listing the tasks sent to the remote engine. */
  public static final String ENV_CLOUD_TASKS = "SOKO_CLOUD_TASKS";
  /** How long an unused model stays loaded by default: 5 minutes. */
  public static final Duration DEFAULT_IDLE_UNLOAD = Duration.ofMinutes(5);
  /** Used when the machine's memory is unknown. */
  public static final long DEFAULT_MEMORY_BUDGET = 4L << 30;

  /**
   * Checks the ranges.
   *
   * @param threads worker threads per engine session, at least 1
   * @param idleUnload how long an unused model stays loaded, zero or more
   * @param memoryBudgetBytes bytes of estimated model size that may stay loaded, zero or more
   * @param isolate run native engines in a child process
   * @param cloud the remote engine, if any
   * @throws IllegalArgumentException when a value is out of range
   */
  public RuntimeSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1");
    }
    if (idleUnload.isNegative()) {
      throw new IllegalArgumentException("idleUnload < 0");
    }
    if (memoryBudgetBytes < 0) {
      throw new IllegalArgumentException("memoryBudgetBytes < 0");
    }
  }

  /**
   * The defaults for this machine, with no cloud provider.
   *
   * @param machine this computer: its cores and memory (0 when unknown)
   * @return a thread per core, {@link #DEFAULT_IDLE_UNLOAD}, half the memory (else
   *     {@link #DEFAULT_MEMORY_BUDGET}) and isolation on
   */
  public static RuntimeSettings defaults(Machine machine) {
    return new RuntimeSettings(Math.max(1, machine.cores()), DEFAULT_IDLE_UNLOAD,
        machine.memoryBytes() > 0 ? machine.memoryBytes() / 2 : DEFAULT_MEMORY_BUDGET, true, Optional.empty());
  }
}
