package soko.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import soko.app.BudgetReports;
import soko.app.Bundles;
import soko.app.Consent;
import soko.app.ConfigFile;
import soko.app.InvalidSettingException;
import soko.app.StorageBudget;
import soko.app.UnknownModelException;
import soko.app.DownloadPlan;
import soko.app.Failures;
import soko.Reason;
import soko.app.Reports;
import soko.app.Soko;
import soko.manifest.ModelName;
import soko.bundle.BundleReader;
import soko.store.CacheClearReport;
import soko.store.InstalledModel;
import soko.store.ModelCheck;
import soko.store.StoreConfigException;

/**
 * Every request: checks ({@link Guard}), then the page, its assets, or one API call. A refused
 * request changes nothing: all checks run before any action.
 */
final class Router implements HttpHandler {
  private static final int MAX_NAME = 200;
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final Map<String, String> ASSETS = Map.of(
      "/app.js", "text/javascript; charset=utf-8",
      "/app.css", "text/css; charset=utf-8");
  private static final Set<String> GETS = Set.of("/", "/index.html", "/app.js", "/app.css", "/api/diagnostics",
      "/api/catalog", "/api/events", "/api/installs", "/api/budget");
  private static final Set<String> POSTS = Set.of("/api/plan", "/api/install", "/api/cancel", "/api/verify",
      "/api/remove", "/api/cache/clear", "/api/gc", "/api/rollback", "/api/budget", "/api/bundle/import");
  /** The longest budget value read: a size such as "1.5TiB" is a few characters; longer text is not echoed back. */
  private static final int MAX_BUDGET = 32;

  private final Soko soko;
  private final Guard guard;
  private final EventHub hub;
  private final Installs installs;
  private final Installable installable;
  /** This server's bundle uploads being received or imported: a cache clear here keeps them. */
  private final Set<java.nio.file.Path> uploadsInProgress = java.util.concurrent.ConcurrentHashMap.newKeySet();

  Router(Soko soko, Guard guard, EventHub hub, Installs installs, Installable installable) {
    this.soko = soko;
    this.guard = guard;
    this.hub = hub;
    this.installs = installs;
    this.installable = installable;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex);
      } catch (Refusal r) {
        // Only a request that passed every check gets its body drained: anything else (a foreign
        // Origin, no key or token) is answered and closed at once, so no page can make the server read.
        boolean bodyLeft = announcesBody(ex) && ex.getAttribute(TRUSTED) != null;
        if (bodyLeft) {
          ex.getResponseHeaders().set("Connection", "close");
        }
        if (wantsPage(ex)) {
          RefusalPage.send(ex, r);
        } else {
          refuse(ex, r, bodyLeft);
        }
      } catch (RuntimeException e) {
        refuse(ex, new Refusal(500, "internal", "internal error: " + e, Optional.empty(), Optional.empty(), e));
      }
    }
  }

  private void route(HttpExchange ex) throws Refusal, IOException {
    guard.checkHeaderSize(ex);
    guard.checkHost(ex);
    guard.checkOrigin(ex);
    String path = ex.getRequestURI().getRawPath();
    String method = ex.getRequestMethod();
    if (!ASSETS.containsKey(path)) {
      guard.checkKey(ex); // the page (it holds the token) and the API; the script and style sheet are public
    }
    boolean gets = GETS.contains(path);
    boolean posts = POSTS.contains(path);
    if (!gets && !posts) {
      throw Refusal.notFound("nothing at " + path + "; open / for the Diagnostics page");
    }
    if (gets && method.equals("GET")) {
      get(ex, path);
    } else if (posts && method.equals("POST")) {
      guard.checkToken(ex);
      ex.setAttribute(TRUSTED, Boolean.TRUE); // a refusal from here on may drain the body (see linger)
      post(ex, path);
    } else {
      throw Refusal.method(method, gets && posts ? "GET, POST" : gets ? "GET" : "POST");
    }
  }

  // ---------------------------------------------------------------- GET: reads only

  private void get(HttpExchange ex, String path) throws Refusal, IOException {
    switch (path) {
      case "/", "/index.html" -> page(ex);
      case "/api/diagnostics" -> json(ex, 200, call(() -> Reports.diagnosticsJson(soko.diagnostics())));
      case "/api/catalog" -> json(ex, 200, call(() -> {
        Set<String> installed = new HashSet<>();
        for (ModelCheck c : soko.list()) {
          installed.add(c.model().manifest().id());
        }
        return Reports.catalogJson(soko.catalogs(), installed, soko.catalogWarnings(), soko.recommendations());
      }));
      case "/api/events" -> hub.stream(ex);
      case "/api/installs" -> json(ex, 200, installs.runningJson());
      case "/api/budget" -> json(ex, 200, call(() -> BudgetReports.budgetJson(soko)));
      default -> asset(ex, path);
    }
  }

  private void page(HttpExchange ex) throws IOException {
    String html = new String(resource("index.html"), StandardCharsets.UTF_8).replace("{{TOKEN}}", guard.token());
    ex.getResponseHeaders().set("Content-Security-Policy", CSP);
    send(ex, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private void asset(HttpExchange ex, String path) throws IOException {
    send(ex, 200, ASSETS.get(path), resource(path.substring(1)));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Router.class.getResourceAsStream("/soko/web/" + name)) {
      if (in == null) {
        throw new IOException("the page's file " + name + " is missing from the soko-web jar");
      }
      return in.readAllBytes();
    }
  }

  // ---------------------------------------------------------------- POST: actions, token checked

  private void post(HttpExchange ex, String path) throws Refusal, IOException {
    switch (path) {
      case "/api/plan" -> {
        Body b = Body.read(ex, Set.of("model", "repair", "update"));
        String model = name(b.requiredString("model"));
        if (b.flag("update")) {
          String installedName = modelName(model);
          json(ex, 200, call(() -> Reports.planJson(updatePlan(installedName))));
        } else if (b.flag("repair")) {
          InstalledModel m = installed(model);
          json(ex, 200, call(() -> Reports.planJson(soko.plan(m.manifest()))));
        } else {
          String target = target(model);
          json(ex, 200, call(() -> Reports.planJson(soko.plan(target))));
        }
      }
      case "/api/install" -> {
        Body b = Body.read(ex, Set.of("model", "accept", "repair", "update"));
        String model = name(b.requiredString("model"));
        boolean repair = b.flag("repair");
        boolean update = b.flag("update");
        Optional<Acceptance> accepted = Optional.empty();
        Optional<Body> a = b.object("accept", Acceptance.FIELDS);
        if (a.isPresent()) {
          accepted = Optional.of(Acceptance.read(a.get()));
        }
        DownloadPlan plan;
        long id;
        if (update) {
          // The newest version beside the installed one, which stays for rollback.
          String installedName = modelName(model);
          plan = call(() -> updatePlan(installedName));
          id = installs.start(model, false, plan, accepted, (consent, listener) -> soko.update(installedName, consent,
              listener).orElseThrow(() -> new UnknownModelException(installedName + " is up to date")));
        } else if (repair) {
          // The installed manifest and origin: a repair fetches only the missing and corrupt files of that version.
          InstalledModel m = installed(model);
          plan = call(() -> soko.plan(m.manifest()));
          id = installs.start(model, true, plan, accepted, (consent, listener) -> soko.install(m.manifest(), m.origin(),
              consent, listener));
        } else {
          String target = target(model);
          plan = call(() -> soko.plan(target));
          id = installs.start(model, false, plan, accepted, (consent, listener) -> soko.pull(target, consent, listener));
        }
        json(ex, 202, "{\"id\":" + id + ",\"model\":" + quote(model) + ",\"repair\":" + repair
            + ",\"state\":\"started\",\"plan\":" + Reports.planJson(plan) + "}");
      }
      case "/api/cancel" -> {
        Body b = Body.read(ex, Set.of("id"));
        long id = b.requiredLong("id");
        if (!installs.cancel(id)) {
          throw Refusal.notFound("no install " + id + " is running; it may have finished already");
        }
        json(ex, 202, "{\"id\":" + id + ",\"state\":\"cancelling\"}");
      }
      case "/api/verify" -> {
        Body b = Body.read(ex, Set.of("model", "full"));
        Optional<String> model = b.string("model");
        if (model.isPresent()) {
          modelName(model.get());
        }
        boolean full = b.flag("full");
        String out = call(() -> Reports.modelsJson(soko.verify(model, full)));
        hub.publish("changed", "{}");
        json(ex, 200, out);
      }
      case "/api/rollback" -> {
        Body b = Body.read(ex, Set.of("model"));
        String model = modelName(b.requiredString("model"));
        String out = call(() -> {
          try {
            return BudgetReports.rollbackJson(soko, soko.rollback(model));
          } catch (StoreConfigException e) {
            throw new Refusal(409, "no-previous-version", e.getMessage(), Optional.empty(), Optional.empty(), e);
          }
        });
        hub.publish("changed", "{}");
        json(ex, 200, out);
      }
      case "/api/remove" -> {
        Body b = Body.read(ex, Set.of("model"));
        String model = modelName(b.requiredString("model"));
        String out = call(() -> Reports.gcJson(soko.remove(model)));
        hub.publish("changed", "{}");
        json(ex, 200, out);
      }
      case "/api/cache/clear" -> {
        Body b = Body.read(ex, Set.of("dryRun"));
        boolean dryRun = b.flag("dryRun");
        String out = call(() -> {
          CacheClearReport r = soko.clearCache(dryRun, Set.copyOf(uploadsInProgress));
          var roots = soko.settings().roots();
          return Reports.cacheClearJson(r, roots.cache().toString(), roots.library().toString());
        });
        if (!dryRun) {
          hub.publish("changed", "{}");
        }
        json(ex, 200, out);
      }
      case "/api/gc" -> {
        Body b = Body.read(ex, Set.of("dryRun"));
        boolean dryRun = b.flag("dryRun");
        String out = call(() -> Reports.gcJson(soko.gc(dryRun)));
        if (!dryRun) {
          hub.publish("changed", "{}");
        }
        json(ex, 200, out);
      }
      case "/api/budget" -> {
        Body b = Body.read(ex, Set.of("budget", "unset"));
        boolean unset = b.flag("unset");
        Optional<String> value = budgetValue(b, unset);
        call(() -> value.isPresent() ? soko.config().set(ConfigFile.Key.BUDGET, value.get())
            : soko.config().unset(ConfigFile.Key.BUDGET));
        String out = call(() -> BudgetReports.budgetJson(soko));
        hub.publish("changed", "{}");
        json(ex, 200, out);
      }
      case "/api/bundle/import" -> {
        var roots = soko.settings().roots();
        // The CLI's choices, checked before the body is read: --trust-unsigned and --accept-license.
        boolean trustUnsigned = BundleUpload.trustUnsigned(ex.getRequestHeaders().getFirst(BundleUpload.TRUST_UNSIGNED_HEADER));
        Set<String> licenses = BundleUpload.acceptedLicenses(ex.getRequestHeaders().getFirst(BundleUpload.ACCEPT_LICENSE_HEADER));
        BundleUpload.Received u = BundleUpload.receive(ex, roots.cache(), roots.cache().resolve("uploads"),
            BundleUpload.MAX_BYTES, uploadsInProgress);
        try {
          // The CLI's import: signed models only and no licence accepted unless the request says otherwise as
          // the CLI's options do; its messages name the chosen file, not the folder it was received into.
          String out = call(() -> new Bundles(soko).importBundle(u.file(), trustUnsigned,
              Consent.REFUSE.acceptingLicenses(licenses), BundleReader.Listener.NONE).toJson());
          hub.publish("changed", "{}");
          json(ex, 200, out.replace(quote(u.file().toString()), quote(u.name())));
        } catch (Refusal r) {
          throw r.withMessage(r.getMessage().replace(u.file().toString(), u.name()));
        } finally {
          BundleUpload.delete(u, uploadsInProgress);
        }
      }
      default -> throw Refusal.notFound("nothing at " + path);
    }
  }

  /**
   * The budget to set, checked before anything is written: a short size ("20GiB"), or empty with
   * {@code "unset": true}. Anything else is 400 {@code invalid-input} with the size rule.
   */
  private static Optional<String> budgetValue(Body b, boolean unset) throws Refusal {
    Optional<String> value;
    try {
      value = b.string("budget");
    } catch (Refusal notText) {
      throw invalidBudget("\"budget\" must be a size in a string, such as \"20GiB\"");
    }
    if (unset) {
      if (value.isPresent()) {
        throw invalidBudget("send either \"budget\" or \"unset\": true, not both");
      }
      return Optional.empty();
    }
    if (value.isEmpty() || value.get().isBlank()) {
      throw invalidBudget("\"budget\" is required: a size such as 20GiB, 500MiB or 1.5TB (or \"unset\": true)");
    }
    String v = value.get();
    if (v.length() > MAX_BUDGET || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw invalidBudget("\"budget\" is not a size: give a number and a unit, such as 20GiB, 500MiB or 1.5TB");
    }
    try {
      StorageBudget.parse(v);
    } catch (InvalidSettingException e) {
      throw new Refusal(400, Reason.INVALID_INPUT.jsonType(), e.getMessage(), Optional.empty(), Optional.empty(), e);
    }
    return Optional.of(v);
  }

  private static Refusal invalidBudget(String message) {
    return new Refusal(400, Reason.INVALID_INPUT.jsonType(), message);
  }

  /** The plan of updating an installed model; 409 {@code up-to-date} when the catalogs list nothing newer. */
  private DownloadPlan updatePlan(String model) throws Exception {
    Optional<DownloadPlan> p = soko.updatePlan(model);
    if (p.isEmpty()) {
      throw new Refusal(409, "up-to-date", model + " is up to date: the catalogs list no newer version");
    }
    return p.get();
  }

  private static String name(String model) throws Refusal {
    if (model.length() > MAX_NAME || model.chars().anyMatch(Character::isISOControl)) {
      throw Refusal.badRequest("\"model\" is not a model name");
    }
    return model;
  }

  /** The installed model named {@code model} (a name, not an alias: a repair names what the page listed). */
  private InstalledModel installed(String model) throws Refusal {
    for (ModelCheck c : call(soko::list)) {
      if (c.model().manifest().name().value().equals(model)) {
        return c.model();
      }
    }
    throw new Refusal(Reason.NOT_FOUND.httpStatus(), Reason.NOT_FOUND.jsonType(), model + " is not installed, so there is nothing to repair; install it"
        + " from the catalog instead");
  }

  /**
   * An installed model's name, checked before it is used or echoed: a fix such as "run `soko install
   * NAME`" must never repeat text that is no model name (such as {@code ../refs/silero-vad}).
   */
  private static String modelName(String model) throws Refusal {
    name(model);
    try {
      return ModelName.parse(model).value();
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("\"model\" is not a model name: " + e.getMessage());
    }
  }

  private String target(String model) throws Refusal {
    Optional<String> t = call(() -> installable.target(model));
    if (t.isEmpty()) {
      throw new Refusal(Reason.NOT_FOUND.httpStatus(), Reason.NOT_FOUND.jsonType(), "no model or alias named \"" + model + "\" in the catalog");
    }
    return t.get();
  }

  // ---------------------------------------------------------------- Soko failures

  @FunctionalInterface
  private interface Action<T> {
    T run() throws Exception;
  }

  private static <T> T call(Action<T> action) throws Refusal {
    try {
      return action.run();
    } catch (Refusal r) {
      throw r;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // The library's one table: the same reason gives the CLI's exit code and this status and type.
      Reason reason = Failures.reason(e);
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new Refusal(reason.httpStatus(), reason.jsonType(), message, Optional.empty(), Optional.empty(), e);
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * A person's browser, not the page's script, asked: a navigation (browsers send {@code Accept:
   * text/html}) to a page address. It gets a refusal it can read; the API always answers JSON.
   */
  private static boolean wantsPage(HttpExchange ex) {
    String accept = ex.getRequestHeaders().getFirst("Accept");
    return ex.getRequestMethod().equals("GET") && !ex.getRequestURI().getRawPath().startsWith("/api/")
        && accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
  }

  /** The exchange attribute set once a POST has passed the Host, Origin, key and token checks. */
  private static final String TRUSTED = "soko.trusted";
  /** How long a refused request's body is read and dropped after the answer (see {@link #linger}). */
  private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);
  /** At most this much of a refused body is read and dropped after the answer. */
  private static final long LINGER_BYTES = 512L << 20;

  /** Whether the request announced a body (which a refusal may have left unread). */
  private static boolean announcesBody(HttpExchange ex) {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    try {
      return length != null && Long.parseLong(length.strip()) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * After answering a request whose body was refused unread (such as a bundle over the limit, 413),
   * and before closing the answer, reads and drops what the client still sends, for at most {@link #LINGER} or {@link
   * #LINGER_BYTES}, before the connection closes. Closing a socket with unread bytes in it sends a
   * reset, and a client that is still sending then often loses the answer it has not read yet and
   * reports "connection reset" instead (nginx's lingering close does the same). A client that reads
   * the answer and stops sending ends this at once.
   */
  private static void linger(HttpExchange ex) {
    long deadline = System.nanoTime() + LINGER.toNanos();
    InputStream in = ex.getRequestBody();
    // On a thread of its own, so a client that stops sending cannot hold the answer past LINGER: the
    // read then blocks only until the connection closes under it.
    Thread drain = Thread.ofVirtual().name("soko-web-linger").start(() -> {
      long dropped = 0;
      byte[] buf = new byte[64 * 1024];
      try {
        int n;
        while (dropped < LINGER_BYTES && System.nanoTime() < deadline && (n = in.read(buf)) > 0) {
          dropped += n;
        }
      } catch (IOException e) {
        // The client went away, the body was already consumed, or the connection closed: done.
      }
    });
    try {
      drain.join(LINGER);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void refuse(HttpExchange ex, Refusal r) throws IOException {
    refuse(ex, r, false);
  }

  /** @param linger read and drop the unread request body after the answer, before closing (see {@link #linger}) */
  private static void refuse(HttpExchange ex, Refusal r, boolean linger) throws IOException {
    r.allow().ifPresent(a -> ex.getResponseHeaders().set("Allow", a));
    String body = Reports.httpErrorJson(r.getMessage(), r.type(), r.status());
    if (r.extra().isPresent()) {
      ObjectNode o = (ObjectNode) Body.MAPPER.readTree(body);
      Body.MAPPER.readTree(r.extra().get()).properties().forEach(e -> o.set(e.getKey(), e.getValue()));
      body = o.toString();
    }
    if (!linger) {
      json(ex, r.status(), body);
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers(ex, "application/json; charset=utf-8");
    ex.sendResponseHeaders(r.status(), bytes.length);
    OutputStream out = ex.getResponseBody();
    out.write(bytes);
    out.flush();
    // Before closing the answer: closing it makes the server drain at most 64 KiB of the body and then
    // close the connection, resetting it under a client that is still sending.
    linger(ex);
    out.close();
  }

  private static void json(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    headers(ex, type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void headers(HttpExchange ex, String type) {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    ex.getResponseHeaders().set("X-Frame-Options", "DENY");
  }

  private static String quote(String s) {
    return Body.MAPPER.getNodeFactory().textNode(s).toString();
  }

  static List<String> postPaths() {
    return List.copyOf(POSTS);
  }
}
