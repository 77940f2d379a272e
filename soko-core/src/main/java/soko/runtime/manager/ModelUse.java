package soko.runtime.manager;

import java.time.Duration;

/**
 * Which model did a job, so that every result can say so.
 *
 * @param requested what was asked for: an alias such as {@code ja-en}, or {@code cloud:ID}
 * @param model the model that ran, as {@code name@version}, or the cloud provider's id
 * @param engine the engine that ran it, as {@code id version}
 * @param demo true for a demo model such as the bundled phrasebook: its output is NOT real machine translation
 * @param cloud true when the job was sent to a remote service the user configured
 * @param load how long loading took for this call; zero when an already loaded session was shared
 */
public record ModelUse(String requested, String model, String engine, boolean demo, boolean cloud, Duration load) {
  /**
   * One line for people, such as "demo-phrasebook@1.0.0 (soko-phrasebook 1.0.0) — DEMO phrasebook, not real machine translation".
   *
   * @return the model and engine, with a warning for a demo model or a remote service
   */
  public String describe() {
    return model + " (" + engine + ")" + (demo ? " — DEMO phrasebook, not real machine translation" : "")
        + (cloud ? " — sent to a remote service you configured" : "");
  }
}
