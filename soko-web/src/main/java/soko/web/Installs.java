package soko.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import soko.app.Bytes;
import soko.app.Consent;
import soko.app.DownloadPlan;
import soko.app.Reports;
import soko.app.Soko;
import soko.events.ProgressListener;
import soko.events.ThrottledListener;
import soko.events.TransferEvent;

/**
 * Runs installs (and repairs) on background threads, at most one per model at a time, and
 * reports them on the {@link EventHub}: {@code install} events ({@code started} with the plan,
 * then {@code done}, {@code failed} or {@code cancelled}), {@code transfer} events while bytes
 * move, and {@code changed} when the inventory changed.
 *
 * <p>Consent: the {@link Consent} given to Soko approves only a plan that matches the person's
 * {@link Acceptance}; without one it refuses, like {@link Consent#REFUSE}. A model whose licence
 * forbids commercial use is refused unless the acceptance names its licence.
 *
 * <p>Cancelling interrupts the install's thread: the downloader then keeps what it received as a
 * partial download, which the next install of the model resumes.
 */
final class Installs {
  private static final Duration THROTTLE = Duration.ofMillis(100);

  /** The work of one install: {@link Soko#pull} or {@link Soko#install} with the given consent and listener. */
  @FunctionalInterface
  interface Job {
    Soko.InstallResult run(Consent consent, ProgressListener listener) throws Exception;
  }

  /** An install that has not ended; {@code name} is the model's name, whatever alias started it. */
  private record Running(long id, String model, String name, boolean repair, String planJson, Thread thread,
      AtomicBoolean cancelled) {}

  private final EventHub hub;
  private final ConcurrentMap<String, Running> running = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  Installs(EventHub hub) {
    this.hub = hub;
  }

  /**
   * Starts {@code job}, which installs the model of {@code plan}, shown to the person as {@code
   * model}. Refused when the plan downloads without a matching acceptance, or when an install of
   * the same model is running. Returns the install's id; the {@code install} events carry it.
   */
  long start(String model, boolean repair, DownloadPlan plan, Optional<Acceptance> accepted, Job job) throws Refusal {
    // A running install of the model is the answer first: while it downloads, the plan it changes (bytes
    // still to fetch) would otherwise be refused as "changed" instead of "already running".
    Running already = running.get(plan.manifest().name().value());
    if (already != null) {
      throw busy(already, plan.manifest().name().value());
    }
    if (plan.nonCommercial() && (accepted.isEmpty() || !accepted.get().acceptsLicenseOf(plan))) {
      throw new Refusal(409, "license-not-accepted", plan.manifest().id() + " is licensed " + plan.license().spdx()
          + ", for non-commercial use only; the person must accept that licence by name (the box in the consent"
          + " dialog), sent as accept.acceptLicense", Optional.empty(),
          Optional.of("{\"plan\":" + Reports.planJson(plan) + "}"), null);
    }
    if (!plan.files().isEmpty() && (accepted.isEmpty() || !accepted.get().matches(plan))) {
      String message = accepted.isEmpty()
          ? "installing " + model + " downloads " + Bytes.human(plan.bytesToDownload())
              + "; show the plan to the person and send their acceptance"
          : "the download plan for " + model + " changed since it was shown; show the new plan and ask again";
      throw new Refusal(409, accepted.isEmpty() ? soko.Reason.CONSENT.jsonType() : "plan-changed", message, Optional.empty(),
          Optional.of("{\"plan\":" + Reports.planJson(plan) + "}"), null);
    }
    String name = plan.manifest().name().value();
    long id = ids.incrementAndGet();
    String planJson = Reports.planJson(plan);
    Consent matching = accepted.isPresent() ? p -> accepted.get().matches(p) : Consent.REFUSE;
    Consent consent = accepted.isPresent() && accepted.get().acceptsLicenseOf(plan)
        ? matching.acceptingLicenses(java.util.Set.of(plan.license().spdx())) : matching;
    AtomicBoolean cancelled = new AtomicBoolean();
    Thread thread = Thread.ofVirtual().name("soko-web-install-" + id).unstarted(() -> run(id, model, name, job, consent,
        cancelled));
    Running r = new Running(id, model, name, repair, planJson, thread, cancelled);
    Running other = running.putIfAbsent(name, r);
    if (other != null) {
      throw busy(other, name);
    }
    hub.publish("install", describe(r, "started"));
    thread.start();
    return id;
  }

  private static Refusal busy(Running other, String name) {
    return new Refusal(409, "busy", (other.repair() ? "a repair" : "an install") + " of " + name + " is already running"
        + "; wait for it to finish or cancel it");
  }

  /** Interrupts install {@code id}; false when no such install is running. */
  boolean cancel(long id) {
    for (Running r : running.values()) {
      if (r.id() == id) {
        r.cancelled().set(true);
        r.thread().interrupt();
        return true;
      }
    }
    return false;
  }

  /** Interrupts every running install (the server is stopping); their partial downloads are kept. */
  void cancelAll() {
    for (Running r : running.values()) {
      r.cancelled().set(true);
      r.thread().interrupt();
    }
  }

  /** {@code {"installs":[{"id","model","name","repair","plan"}…]}}: what is running now, oldest first. */
  String runningJson() {
    ObjectNode root = Body.MAPPER.createObjectNode();
    ArrayNode arr = root.putArray("installs");
    running.values().stream().sorted(Comparator.comparingLong(Running::id)).forEach(r -> arr.add(fields(r, "started")));
    return root.toString();
  }

  private void run(long id, String model, String name, Job job, Consent consent, AtomicBoolean cancelled) {
    Running self = running.get(name);
    String event;
    try {
      ThrottledListener listener = new ThrottledListener(e -> hub.publish("transfer", transfer(id, model, e)),
          THROTTLE, Clock.systemUTC());
      Soko.InstallResult r = job.run(consent, listener);
      ObjectNode o = fields(self, "done");
      o.set("result", parse(Reports.installJson(r)));
      event = o.toString();
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      ObjectNode o = fields(self, cancelled.get() ? "cancelled" : "failed");
      o.put("message", message);
      event = o.toString();
    } finally {
      running.remove(name, self);
    }
    hub.publish("install", event);
    hub.publish("changed", "{}");
  }

  /** {@link Reports#eventJson} with the install's {@code id} and {@code model} added. */
  private static String transfer(long id, String model, TransferEvent e) {
    ObjectNode o = (ObjectNode) parse(Reports.eventJson(e));
    o.put("id", id);
    o.put("model", model);
    return o.toString();
  }

  private static String describe(Running r, String state) {
    return fields(r, state).toString();
  }

  private static ObjectNode fields(Running r, String state) {
    ObjectNode o = Body.MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("model", r.model());
    o.put("name", r.name());
    o.put("repair", r.repair());
    o.put("state", state);
    if (state.equals("started")) {
      o.set("plan", parse(r.planJson()));
    }
    return o;
  }

  private static JsonNode parse(String json) {
    try {
      return Body.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Reports wrote invalid JSON", e);
    }
  }
}
