package soko.runtime.manager;

import java.time.Instant;
import soko.manifest.Task;

/**
 * A model session held in memory by {@link Engines}.
 *
 * @param model {@code name@version}
 * @param task the task the session serves
 * @param engine the id of the engine that runs it
 * @param estimatedBytes what it counts against the memory budget (its files' total size)
 * @param leases callers using it now; 0 means idle and unloadable
 * @param lastUsed when the last caller finished with it (or started, while in use)
 */
public record LoadedModel(String model, Task task, String engine, long estimatedBytes, int leases, Instant lastUsed) {}
