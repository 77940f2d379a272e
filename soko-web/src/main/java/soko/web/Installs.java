package soko.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import soko.app.Bytes;
import soko.app.Consent;
import soko.app.DownloadPlan;
import soko.app.Reports;
import soko.app.Soko;
import soko.events.ThrottledListener;

/**
 * Runs one install at a time on a background thread and reports it on the {@link EventHub}:
 * {@code install} events ({@code started} with the plan, then {@code done} or {@code failed}),
 * {@code transfer} events while bytes move, and {@code changed} when the inventory changed.
 *
 * <p>Consent: the {@link Consent} given to Soko approves only a plan that matches the person's
 * {@link Acceptance}; without one it refuses, like {@link Consent#REFUSE}.
 */
final class Installs {
  private static final Duration THROTTLE = Duration.ofMillis(100);

  private final Soko soko;
  private final EventHub hub;
  private final AtomicReference<String> running = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

  Installs(Soko soko, EventHub hub) {
    this.soko = soko;
    this.hub = hub;
  }

  /**
   * Starts installing {@code target} (already checked to be installable), shown to the person as
   * {@code model}. Returns the install's id; the {@code install} events carry it.
   */
  long start(String model, String target, DownloadPlan plan, Optional<Acceptance> accepted) throws Refusal {
    if (!plan.files().isEmpty() && (accepted.isEmpty() || !accepted.get().matches(plan))) {
      String message = accepted.isEmpty()
          ? "installing " + model + " downloads " + Bytes.human(plan.bytesToDownload())
              + "; show the plan to the person and send their acceptance"
          : "the download plan for " + model + " changed since it was shown; show the new plan and ask again";
      throw new Refusal(409, accepted.isEmpty() ? "consent-required" : "plan-changed", message, Optional.empty(),
          Optional.of("{\"plan\":" + Reports.planJson(plan) + "}"), null);
    }
    if (!running.compareAndSet(null, model)) {
      throw new Refusal(409, "busy", "an install of " + running.get() + " is running; wait for it to finish");
    }
    Consent consent = accepted.isPresent() ? p -> accepted.get().matches(p) : Consent.REFUSE;
    long id = ids.incrementAndGet();
    hub.publish("install", status(id, model, "started", Optional.of(Reports.planJson(plan)), Optional.empty()));
    Thread.ofVirtual().name("soko-web-install-" + id).start(() -> run(id, model, target, consent));
    return id;
  }

  private void run(long id, String model, String target, Consent consent) {
    String event;
    try {
      ThrottledListener listener = new ThrottledListener(e -> hub.publish("transfer", transfer(id, model, e)),
          THROTTLE, Clock.systemUTC());
      Soko.InstallResult r = soko.pull(target, consent, listener);
      event = status(id, model, "done", Optional.of(Reports.installJson(r)), Optional.empty());
    } catch (Exception e) {
      event = status(id, model, "failed", Optional.empty(), Optional.of(e.getMessage() == null ? e.toString() : e.getMessage()));
    } finally {
      running.set(null);
    }
    hub.publish("install", event);
    hub.publish("changed", "{}");
  }

  /** {@link Reports#eventJson} with the install's {@code id} and {@code model} added. */
  private static String transfer(long id, String model, soko.events.TransferEvent e) {
    try {
      ObjectNode o = (ObjectNode) Body.MAPPER.readTree(Reports.eventJson(e));
      o.put("id", id);
      o.put("model", model);
      return o.toString();
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException("Reports wrote invalid JSON", ex);
    }
  }

  private static String status(long id, String model, String state, Optional<String> detailJson, Optional<String> message) {
    ObjectNode o = Body.MAPPER.createObjectNode();
    o.put("id", id);
    o.put("model", model);
    o.put("state", state);
    try {
      if (detailJson.isPresent()) {
        o.set(state.equals("started") ? "plan" : "result", Body.MAPPER.readTree(detailJson.get()));
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Reports wrote invalid JSON", e);
    }
    message.ifPresent(m -> o.put("message", m));
    return o.toString();
  }

  Optional<String> running() {
    return Optional.ofNullable(running.get());
  }
}
