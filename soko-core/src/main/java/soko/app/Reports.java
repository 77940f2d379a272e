package soko.app;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import soko.internal.json.Json;
import soko.catalog.Catalogs;
import soko.catalog.Recommendation;
import soko.events.TransferEvent;
import soko.inventory.Diagnostics;
import soko.store.CacheClearReport;
import soko.store.GcReport;
import soko.store.ModelCheck;

/**
 * The stable JSON documents of the CLI ({@code --json}) and the web API. Field names and meanings
 * are documented in the README; fields are only ever added. Stateless and thread-safe.
 */
public final class Reports {
  private Reports() {}

  /**
   * {@code {"models":[…]}}: what {@code soko list --json} and {@code soko verify --json} print.
   *
   * @param checks the models' checks, in the order to print; may be empty
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String modelsJson(List<ModelCheck> checks) {
    return json(ReportNodes.models(checks));
  }

  /**
   * What {@code soko diagnostics --json} prints and {@code GET /api/diagnostics} returns.
   *
   * @param d the diagnostics report
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String diagnosticsJson(Diagnostics d) {
    return json(ReportNodes.diagnostics(d));
  }

  /**
   * What {@code soko diagnostics --json} prints: {@link #diagnosticsJson(Diagnostics)} with the
   * storage budget's fields of {@code GET /api/budget}: {@code "budget":{value,bytes,origin}|null},
   * {@code "used"} (bytes of models and versions kept for rollback, what the budget counts) and
   * {@code "warnings"} (a budget setting that is not a size, else empty).
   *
   * @param d the diagnostics report
   * @param soko the Soko whose budget and store are read (hashes nothing)
   * @return the JSON document, pretty-printed, ending with a newline
   * @throws soko.store.StoreException when the store cannot be read
   */
  public static String diagnosticsJson(Diagnostics d, Soko soko) throws soko.store.StoreException {
    ObjectNode root = ReportNodes.diagnostics(d);
    ArrayNode warnings = Json.array();
    try {
      var b = soko.budget();
      if (b.isPresent()) {
        root.set("budget", BudgetReports.budget(b.get()));
      } else {
        root.putNull("budget");
      }
    } catch (InvalidSettingException e) {
      root.putNull("budget");
      warnings.add(e.getMessage());
    }
    root.put("used", soko.budgetUse());
    root.set("warnings", warnings);
    return json(root);
  }

  /**
   * What {@code soko gc --json} prints: {@code {"dryRun","bytesFreed","removed":[…],"notices":[…]}}.
   *
   * @param r what gc removed (or would remove)
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String gcJson(GcReport r) {
    return json(ReportNodes.gc(r));
  }

  /**
   * What {@code soko cache clear --json} prints: {@code {"dryRun","cacheRoot","library","filesRemoved",
   * "bytesFreed","partialDownloads","partialBytes","skipped":[…]}}.
   *
   * @param r what clearing the cache removed (or would remove)
   * @param cacheRoot the cache root, as the user should see it
   * @param library the library (data) root, as the user should see it
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String cacheClearJson(CacheClearReport r, String cacheRoot, String library) {
    return json(ReportNodes.cacheClear(r, cacheRoot, library));
  }

  /**
   * What {@code soko install --json} and {@code soko pull --json} print last: one line, after any event lines.
   *
   * @param r the install's outcome
   * @return {@code {"name","version","alreadyInstalled","filesWritten","bytesWritten","origin","evicted"}}
   *     on one line, ending with a newline
   */
  public static String installJson(Soko.InstallResult r) {
    ObjectNode o = Json.object();
    o.put("name", r.model().manifest().name().value());
    o.put("version", r.model().manifest().version().text());
    o.put("alreadyInstalled", r.alreadyInstalled());
    o.put("filesWritten", r.filesWritten());
    o.put("bytesWritten", r.bytesWritten());
    o.put("origin", r.model().origin());
    o.set("evicted", BudgetReports.lines(r.evicted()));
    return Json.writeLine(o) + "\n";
  }

  /**
   * {@link #installJson(Soko.InstallResult)} for a pulled alias, with {@code "recommendation"}: what
   * was chosen for this computer and why ({@link CatalogJson#recommendation}).
   *
   * @param r the install's outcome
   * @param choice what the alias resolved to, and why
   * @return the JSON object on one line, ending with a newline
   */
  public static String installJson(Soko.InstallResult r, AliasChoice choice) {
    ObjectNode o = Json.object();
    o.put("name", r.model().manifest().name().value());
    o.put("version", r.model().manifest().version().text());
    o.put("alreadyInstalled", r.alreadyInstalled());
    o.put("filesWritten", r.filesWritten());
    o.put("bytesWritten", r.bytesWritten());
    o.put("origin", r.model().origin());
    o.set("evicted", BudgetReports.lines(r.evicted()));
    o.set("recommendation", CatalogJson.recommendation(choice));
    return Json.writeLine(o) + "\n";
  }

  /**
   * One progress event as a single JSON line (for {@code --json} and the web page's event stream):
   * {@code {"event":"progress","file":…,"bytes":…,"total":…,"bytesPerSecond":…,"etaSeconds":…}}.
   * Events: started, progress, verifying, retrying, done, failed, notice.
   *
   * @param e the event
   * @return the JSON object on one line, without a final newline
   */
  public static String eventJson(TransferEvent e) {
    ObjectNode o = Json.object();
    switch (e) {
      case TransferEvent.Started s -> {
        o.put("event", "started");
        o.put("file", s.file());
        o.put("total", s.totalBytes());
        o.put("resumedFrom", s.resumedFrom());
        o.put("host", s.host());
      }
      case TransferEvent.Progress p -> {
        o.put("event", "progress");
        o.put("file", p.file());
        o.put("bytes", p.bytesDone());
        o.put("total", p.totalBytes());
        o.put("bytesPerSecond", p.bytesPerSecond());
        p.eta().ifPresentOrElse(t -> o.put("etaSeconds", t.toSeconds()), () -> o.putNull("etaSeconds"));
      }
      case TransferEvent.Verifying v -> {
        o.put("event", "verifying");
        o.put("file", v.file());
        o.put("bytes", v.bytes());
      }
      case TransferEvent.Retrying r -> {
        o.put("event", "retrying");
        o.put("file", r.file());
        o.put("attempt", r.attempt());
        o.put("delayMillis", r.delay().toMillis());
        o.put("reason", r.reason());
      }
      case TransferEvent.Done d -> {
        o.put("event", "done");
        o.put("file", d.file());
        o.put("sha256", d.sha256());
        o.put("size", d.size());
        o.put("bytesTransferred", d.bytesTransferred());
      }
      case TransferEvent.Failed f -> {
        o.put("event", "failed");
        o.put("file", f.file());
        o.put("reason", f.reason());
      }
      case TransferEvent.Notice n -> {
        o.put("event", "notice");
        o.put("file", n.file());
        o.put("message", n.message());
      }
    }
    return Json.writeLine(o);
  }

  static ObjectNode plan(DownloadPlan p) {
    ObjectNode o = Json.object();
    o.put("name", p.manifest().name().value());
    o.put("version", p.manifest().version().text());
    o.put("description", p.manifest().description());
    o.put("size", p.manifest().totalSize());
    o.put("downloadNeeded", !p.files().isEmpty());
    o.put("summary", p.summary());
    o.put("bytesToDownload", p.bytesToDownload());
    o.put("bytesAlreadyPresent", p.bytesAlreadyPresent());
    o.put("freeAfter", p.freeAfter());
    ArrayNode hosts = o.putArray("hosts");
    p.hosts().forEach(hosts::add);
    ObjectNode lic = o.putObject("license");
    lic.put("spdx", p.license().spdx());
    lic.put("url", p.license().url().toString());
    lic.put("attribution", p.license().attribution());
    o.put("nonCommercial", p.nonCommercial());
    ArrayNode files = o.putArray("files");
    for (DownloadPlan.PlannedFile f : p.files()) {
      ObjectNode fo = files.addObject();
      fo.put("path", f.file().path().value());
      fo.put("size", f.file().size());
      fo.put("alreadyPresent", f.partialBytes());
    }
    o.set("evictions", BudgetReports.evictions(p.evictions()));
    return o;
  }

  /**
   * What a download would do, as consent shows it.
   *
   * @param p the plan
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String planJson(DownloadPlan p) {
    return json(plan(p));
  }

  /**
   * The catalog as {@code soko catalog --json} prints it: every available model with size,
   * licence, source hosts, the aliases that name it and whether it is installed; and the aliases.
   *
   * @param catalogs the catalogs to list
   * @param installed the ids ({@code name@version}) of the installed models
   * @param warnings why configured catalogs were left out, one line each; may be empty
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String catalogJson(Catalogs catalogs, java.util.Set<String> installed, List<String> warnings) {
    return catalogJson(catalogs, installed, warnings, Map.of());
  }

  /**
   * {@link #catalogJson(Catalogs, java.util.Set, List)} with the recommendation for this computer:
   * per alias {@code "recommended":{"model":NAME|null,"version":…,"reason":…}}, and per model
   * {@code "recommendedFor":[{"alias","reason"}]} (empty when it is recommended for nothing) and
   * {@code "nonCommercial"}.
   *
   * @param catalogs the catalogs to list
   * @param installed the ids ({@code name@version}) of the installed models
   * @param warnings why configured catalogs were left out, one line each; may be empty
   * @param recommended the pick for each alias, by alias name ({@link Soko#recommendations})
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String catalogJson(Catalogs catalogs, java.util.Set<String> installed, List<String> warnings,
      Map<String, Recommendation.Pick> recommended) {
    return CatalogJson.catalog(catalogs, installed, warnings, recommended);
  }

  /**
   * What {@code soko show --json} prints: {@code {"asked","name","version","description","tasks":[…],
   * "engine":{"id","versions","available"},"license":{"spdx","url","attribution","nonCommercial"},
   * "demo","origin","installed","state":"verified"|"unverified"|"corrupt"|"missing"|null,
   * "installedVersions":[…],"availableVersions":[…],"catalogs":[…],"aliases":[…],"size","diskBytes",
   * "files":[{"path","size","sha256","sources":[URL…],"state"|null,"verifiedAt"|null,"blob"|null}],
   * "sources":[HOST…],"recommendation":{…}|null}}; {@code recommendation} as in {@code pull --json}
   * when an alias was asked for.
   *
   * @param d the model's description
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String showJson(ModelDescription d) {
    return CatalogJson.show(d);
  }

  /**
   * What {@code soko install|pull … --dry-run --json} prints: the plan as consent shows it ({@code
   * name, version, size, downloadNeeded, summary, bytesToDownload, bytesAlreadyPresent, freeAfter,
   * hosts, license, nonCommercial, files}) with {@code "dryRun":true}, and {@code recommendation}
   * for an alias (else null).
   *
   * @param p the plan
   * @param choice what the alias resolved to; empty when no alias was asked for
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String dryRunJson(DownloadPlan p, java.util.Optional<AliasChoice> choice) {
    ObjectNode o = plan(p);
    o.put("dryRun", true);
    choice.ifPresentOrElse(c -> o.set("recommendation", CatalogJson.recommendation(c)), () -> o.putNull("recommendation"));
    return json(o);
  }

  /**
   * What {@code soko install|pull oci://… --dry-run --json} prints: {@code {"dryRun":true,"reference":…}}.
   *
   * @param reference the registry reference as given
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String dryRunJson(String reference) {
    ObjectNode o = Json.object();
    o.put("dryRun", true);
    o.put("reference", reference);
    return json(o);
  }

  /**
   * What {@code soko rm NAME --dry-run --json} prints: {@code {"dryRun":true,"name","version",
   * "bytesFreed","blobsFreed","bytesShared"}}.
   *
   * @param p the removal plan
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String removalPlanJson(RemovalPlan p) {
    ObjectNode o = Json.object();
    o.put("dryRun", true);
    o.put("name", p.model().manifest().name().value());
    o.put("version", p.model().manifest().version().text());
    o.put("bytesFreed", p.bytesFreed());
    o.put("blobsFreed", p.blobsFreed());
    o.put("bytesShared", p.bytesShared());
    return json(o);
  }

  /**
   * {@code {"error":{"message":…,"type":…,"exitCode":…}}}: a failed CLI command.
   *
   * @param message the one-line error message
   * @param exitCode the process exit code (see the README's table)
   * @param type the failure's JSON type, such as {@code not-found} ({@link soko.Reason#jsonType()})
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String errorJson(String message, int exitCode, String type) {
    return json(ReportNodes.error(message, exitCode, type));
  }

  /**
   * {@link #errorJson(String, int, String)} for a failed pull of an alias, with {@code
   * "recommendation"} ({@link CatalogJson#recommendation}): what it would have installed, its size and licence.
   *
   * @param message the one-line error message
   * @param exitCode the process exit code (see the README's table)
   * @param type the failure's JSON type ({@link soko.Reason#jsonType()})
   * @param choice what the alias resolved to
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String errorJson(String message, int exitCode, String type, AliasChoice choice) {
    ObjectNode o = ReportNodes.error(message, exitCode, type);
    o.set("recommendation", CatalogJson.recommendation(choice));
    return json(o);
  }

  /**
   * {@code {"error":{"message":…,"type":…,"status":…}}}: a refused web API request.
   *
   * @param message the one-line error message
   * @param type the failure's JSON type
   * @param status the HTTP status code
   * @return the JSON document, pretty-printed, ending with a newline
   */
  public static String httpErrorJson(String message, String type, int status) {
    ObjectNode o = Json.object();
    ObjectNode e = o.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.put("status", status);
    return json(o);
  }

  static String json(ObjectNode node) {
    return Json.text(node);
  }

}
