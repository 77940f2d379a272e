package soko.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import soko.internal.json.Instants;
import soko.internal.json.Json;
import soko.catalog.AliasEntry;
import soko.catalog.CatalogEntry;
import soko.catalog.Catalogs;
import soko.catalog.Recommendation;
import soko.events.TransferEvent;
import soko.inventory.Diagnostics;
import soko.inventory.EngineReport;
import soko.inventory.Machine;
import soko.manifest.Manifest;
import soko.manifest.TaskSpec;
import soko.store.CacheClearReport;
import soko.store.FileCheck;
import soko.store.GcReport;
import soko.store.ModelCheck;
import soko.store.StorageUse;

/**
 * The stable JSON documents of the CLI ({@code --json}) and the web API. Field names and meanings
 * are documented in the README; fields are only ever added.
 */
public final class Reports {
  private Reports() {}

  /** {@code {"models":[…]}}: what {@code soko list --json} and {@code soko verify --json} print. */
  public static String modelsJson(List<ModelCheck> checks) {
    return json(models(checks));
  }

  /** What {@code soko diagnostics --json} prints and {@code GET /api/diagnostics} returns. */
  public static String diagnosticsJson(Diagnostics d) {
    return json(diagnostics(d));
  }

  public static String gcJson(GcReport r) {
    return json(gc(r));
  }

  public static String cacheClearJson(CacheClearReport r, String cacheRoot, String library) {
    return json(cacheClear(r, cacheRoot, library));
  }

  /** What {@code soko install --json} and {@code soko pull --json} print last: one line, after any event lines. */
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
   * was chosen for this computer and why ({@link #recommendation}).
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
    o.set("recommendation", recommendation(choice));
    return Json.writeLine(o) + "\n";
  }

  /**
   * What pulling an alias chose: {@code {"alias","task","model","version","size","license",
   * "nonCommercial","chosen":"recommended"|"named"|"first-listed","recommended":NAME|null,"reason",
   * "line","hardware":{"cores","memory","vectorUnits"},"limits":{"memoryBudget","maxRealTimeFactor"},
   * "estimates":[{"model","version","memory","realTimeFactor"|null,"quality":{"metric","value",
   * "figures","source"}|null,"fits"}]}}}: {@code reason} is the recommendation's own line, {@code
   * line} the one the CLI prints.
   */
  static ObjectNode recommendation(AliasChoice c) {
    ObjectNode o = Json.object();
    Manifest m = c.manifest();
    o.put("alias", c.alias().name());
    o.put("task", c.alias().task().toString());
    o.put("model", m.name().value());
    o.put("version", m.version().text());
    o.put("size", m.totalSize());
    o.put("license", m.license().spdx());
    o.put("nonCommercial", soko.catalog.ModelFacts.nonCommercial(m));
    o.put("chosen", c.how().id());
    c.recommended().ifPresentOrElse(r -> o.put("recommended", r.name().value()), () -> o.putNull("recommended"));
    o.put("reason", c.pick().reason());
    o.put("line", c.describe());
    ObjectNode hw = o.putObject("hardware");
    hw.put("cores", c.hardware().cores());
    hw.put("memory", c.hardware().memoryBytes());
    hw.put("vectorUnits", c.hardware().vectorUnits());
    ObjectNode limits = o.putObject("limits");
    limits.put("memoryBudget", c.limits().memoryBudgetBytes());
    limits.put("maxRealTimeFactor", c.limits().maxRealTimeFactor());
    ArrayNode estimates = o.putArray("estimates");
    for (Recommendation.Estimate e : c.pick().estimates()) {
      ObjectNode eo = estimates.addObject();
      eo.put("model", e.model().name().value());
      eo.put("version", e.model().version().text());
      eo.put("memory", e.memoryBytes());
      if (e.realTimeFactor().isPresent()) {
        eo.put("realTimeFactor", e.realTimeFactor().getAsDouble());
      } else {
        eo.putNull("realTimeFactor");
      }
      if (e.quality().isPresent()) {
        ObjectNode q = eo.putObject("quality");
        q.put("metric", e.quality().get().metric().id());
        q.put("value", e.quality().get().value());
        q.put("figures", e.quality().get().figures());
        q.put("source", e.quality().get().source());
      } else {
        eo.putNull("quality");
      }
      eo.put("fits", e.fits(c.limits()));
    }
    return o;
  }

  /**
   * One progress event as a single JSON line (for {@code --json} and the web page's event stream):
   * {@code {"event":"progress","file":…,"bytes":…,"total":…,"bytesPerSecond":…,"etaSeconds":…}}.
   * Events: started, progress, verifying, retrying, done, failed, notice.
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

  /** What a download would do, as consent shows it. */
  public static String planJson(DownloadPlan p) {
    return json(plan(p));
  }

  /**
   * The catalog as {@code soko catalog --json} prints it: every available model with size,
   * licence, source hosts, the aliases that name it and whether it is installed; and the aliases.
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
   * @param recommended the pick for each alias, by alias name ({@link Soko#recommendations})
   */
  public static String catalogJson(Catalogs catalogs, java.util.Set<String> installed, List<String> warnings,
      Map<String, Recommendation.Pick> recommended) {
    ObjectNode root = Json.object();
    ArrayNode models = root.putArray("models");
    for (CatalogEntry e : catalogs.models()) {
      Manifest m = e.manifest();
      ObjectNode o = models.addObject();
      o.put("name", m.name().value());
      o.put("version", m.version().text());
      o.put("description", m.description());
      o.set("tasks", tasks(m.tasks()));
      o.put("size", m.totalSize());
      o.put("license", m.license().spdx());
      o.put("licenseUrl", m.license().url().toString());
      o.put("bundled", m.bundled());
      o.put("demo", m.demo());
      o.put("installed", installed.contains(m.id()));
      ArrayNode hosts = o.putArray("sources");
      m.files().stream().flatMap(f -> f.sources().stream()).map(src -> src.kind() == soko.manifest.SourceUri.Kind.BUNDLED
          ? "bundled" : src.host()).distinct().forEach(hosts::add);
      ArrayNode aliases = o.putArray("aliases");
      catalogs.aliases().stream().filter(a -> a.alias().candidates().contains(m.name()))
          .forEach(a -> aliases.add(a.alias().name()));
      ArrayNode ids = o.putArray("catalogs");
      e.catalogIds().forEach(ids::add);
      o.put("nonCommercial", soko.catalog.ModelFacts.nonCommercial(m));
      if (!recommended.isEmpty()) {
        ArrayNode forAliases = o.putArray("recommendedFor");
        recommended.forEach((alias, pick) -> pick.model().filter(r -> r.id().equals(m.id())).ifPresent(r -> {
          ObjectNode a = forAliases.addObject();
          a.put("alias", alias);
          a.put("reason", pick.reason());
        }));
      }
    }
    ArrayNode aliases = root.putArray("aliases");
    for (AliasEntry a : catalogs.aliases()) {
      ObjectNode o = aliases.addObject();
      o.put("alias", a.alias().name());
      o.put("task", a.alias().task().toString());
      ArrayNode c = o.putArray("candidates");
      a.alias().candidates().forEach(n -> c.add(n.value()));
      o.put("catalog", a.catalogId());
      Recommendation.Pick pick = recommended.get(a.alias().name());
      if (pick != null) {
        ObjectNode r = o.putObject("recommended");
        pick.model().ifPresentOrElse(m -> {
          r.put("model", m.name().value());
          r.put("version", m.version().text());
        }, () -> r.putNull("model"));
        r.put("reason", pick.reason());
      }
    }
    ArrayNode w = root.putArray("warnings");
    warnings.forEach(w::add);
    return json(root);
  }

  /**
   * What {@code soko show --json} prints: {@code {"asked","name","version","description","tasks":[…],
   * "engine":{"id","versions","available"},"license":{"spdx","url","attribution","nonCommercial"},
   * "demo","origin","installed","state":"verified"|"unverified"|"corrupt"|"missing"|null,
   * "installedVersions":[…],"availableVersions":[…],"catalogs":[…],"aliases":[…],"size","diskBytes",
   * "files":[{"path","size","sha256","sources":[URL…],"state"|null,"verifiedAt"|null,"blob"|null}],
   * "sources":[HOST…],"recommendation":{…}|null}}; {@code recommendation} as in {@code pull --json}
   * when an alias was asked for.
   */
  public static String showJson(ModelDescription d) {
    Manifest m = d.manifest();
    ObjectNode o = Json.object();
    o.put("asked", d.asked());
    o.put("name", m.name().value());
    o.put("version", m.version().text());
    o.put("description", m.description());
    o.set("tasks", tasks(m.tasks()));
    ObjectNode engine = o.putObject("engine");
    engine.put("id", m.engine().id());
    engine.put("versions", m.engine().versions().toString());
    engine.put("available", d.engineAvailable());
    ObjectNode license = o.putObject("license");
    license.put("spdx", m.license().spdx());
    license.put("url", m.license().url().toString());
    license.put("attribution", m.license().attribution());
    license.put("nonCommercial", soko.catalog.ModelFacts.nonCommercial(m));
    o.put("demo", m.demo());
    o.put("origin", d.origin());
    o.put("installed", d.installed().isPresent());
    d.installed().ifPresentOrElse(c -> o.put("state", c.state().id()), () -> o.putNull("state"));
    d.installedVersions().forEach(o.putArray("installedVersions")::add);
    d.availableVersions().forEach(o.putArray("availableVersions")::add);
    d.catalogs().forEach(o.putArray("catalogs")::add);
    d.aliases().forEach(o.putArray("aliases")::add);
    o.put("size", m.totalSize());
    o.put("diskBytes", d.diskBytes());
    ArrayNode files = o.putArray("files");
    for (soko.manifest.ModelFile f : m.files()) {
      ObjectNode fo = files.addObject();
      fo.put("path", f.path().toString());
      fo.put("size", f.size());
      fo.put("sha256", f.sha256().hex());
      ArrayNode sources = fo.putArray("sources");
      f.sources().forEach(src -> sources.add(src.toString()));
      java.util.Optional<FileCheck> check = d.installed().flatMap(c -> c.files().stream()
          .filter(fc -> fc.file().path().equals(f.path())).findFirst());
      check.ifPresentOrElse(fc -> fo.put("state", fc.state().id()), () -> fo.putNull("state"));
      check.flatMap(FileCheck::verifiedAt).ifPresentOrElse(t -> fo.put("verifiedAt", Instants.format(t)),
          () -> fo.putNull("verifiedAt"));
      check.filter(fc -> fc.state() != soko.store.FileState.MISSING)
          .ifPresentOrElse(fc -> fo.put("blob", fc.blob().toString()), () -> fo.putNull("blob"));
    }
    ArrayNode hosts = o.putArray("sources");
    m.files().stream().flatMap(f -> f.sources().stream()).map(src -> src.kind() == soko.manifest.SourceUri.Kind.BUNDLED
        ? "bundled" : src.host()).distinct().forEach(hosts::add);
    d.alias().ifPresentOrElse(c -> o.set("recommendation", recommendation(c)), () -> o.putNull("recommendation"));
    return json(o);
  }

  /**
   * What {@code soko install|pull … --dry-run --json} prints: the plan as consent shows it ({@code
   * name, version, size, downloadNeeded, summary, bytesToDownload, bytesAlreadyPresent, freeAfter,
   * hosts, license, nonCommercial, files}) with {@code "dryRun":true}, and {@code recommendation}
   * for an alias (else null).
   */
  public static String dryRunJson(DownloadPlan p, java.util.Optional<AliasChoice> choice) {
    ObjectNode o = plan(p);
    o.put("dryRun", true);
    choice.ifPresentOrElse(c -> o.set("recommendation", recommendation(c)), () -> o.putNull("recommendation"));
    return json(o);
  }

  /** What {@code soko install|pull oci://… --dry-run --json} prints: {@code {"dryRun":true,"reference":…}}. */
  public static String dryRunJson(String reference) {
    ObjectNode o = Json.object();
    o.put("dryRun", true);
    o.put("reference", reference);
    return json(o);
  }

  /**
   * What {@code soko rm NAME --dry-run --json} prints: {@code {"dryRun":true,"name","version",
   * "bytesFreed","blobsFreed","bytesShared"}}.
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

  /** {@code {"error":{"message":…,"type":…,"exitCode":…}}}. */
  public static String errorJson(String message, int exitCode, String type) {
    return json(error(message, exitCode, type));
  }

  /**
   * {@link #errorJson(String, int, String)} for a failed pull of an alias, with {@code
   * "recommendation"} ({@link #recommendation}): what it would have installed, its size and licence.
   */
  public static String errorJson(String message, int exitCode, String type, AliasChoice choice) {
    ObjectNode o = error(message, exitCode, type);
    o.set("recommendation", recommendation(choice));
    return json(o);
  }

  /** {@code {"error":{"message":…,"type":…,"status":…}}}: a refused web API request. */
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

  static ObjectNode models(List<ModelCheck> checks) {
    ObjectNode root = Json.object();
    ArrayNode arr = root.putArray("models");
    checks.forEach(c -> arr.add(model(c)));
    return root;
  }

  static ObjectNode model(ModelCheck c) {
    Manifest m = c.model().manifest();
    ObjectNode o = Json.object();
    o.put("name", m.name().value());
    o.put("version", m.version().text());
    o.put("description", m.description());
    o.set("tasks", tasks(m.tasks()));
    ObjectNode engine = o.putObject("engine");
    engine.put("id", m.engine().id());
    engine.put("version", m.engine().versions().text());
    ObjectNode lic = o.putObject("license");
    lic.put("spdx", m.license().spdx());
    lic.put("url", m.license().url().toString());
    lic.put("attribution", m.license().attribution());
    o.put("bundled", m.bundled());
    o.put("demo", m.demo());
    o.put("origin", c.model().origin());
    o.put("installedAt", Instants.format(c.model().installedAt()));
    o.put("manifestPath", c.model().manifestFile().toString());
    o.put("size", m.totalSize());
    o.put("state", c.state().id());
    if (c.verifiedAt().isPresent()) {
      o.put("verifiedAt", Instants.format(c.verifiedAt().get()));
    } else {
      o.putNull("verifiedAt");
    }
    ArrayNode files = o.putArray("files");
    for (FileCheck f : c.files()) {
      ObjectNode fo = files.addObject();
      fo.put("path", f.file().path().value());
      fo.put("blob", f.blob().toString());
      fo.put("size", f.file().size());
      fo.put("sha256", f.file().sha256().hex());
      fo.put("state", f.state().id());
      if (f.verifiedAt().isPresent()) {
        fo.put("verifiedAt", Instants.format(f.verifiedAt().get()));
      } else {
        fo.putNull("verifiedAt");
      }
      f.problem().ifPresent(p -> fo.put("problem", p));
      f.warning().ifPresent(w -> fo.put("warning", w));
      fo.put("rehashed", f.rehashed());
    }
    return o;
  }

  static ArrayNode tasks(List<TaskSpec> specs) {
    ArrayNode arr = Json.array();
    for (TaskSpec t : specs) {
      ObjectNode o = arr.addObject();
      o.put("task", t.task().id());
      ArrayNode langs = o.putArray("languages");
      t.languages().forEach(l -> langs.add(l.code()));
      t.target().ifPresent(to -> o.put("to", to.code()));
    }
    return arr;
  }

  static ObjectNode storage(StorageUse s) {
    ObjectNode o = Json.object();
    o.put("models", s.models());
    o.put("modelBlobs", s.modelBlobs());
    o.put("cache", s.cache());
    o.put("partialDownloads", s.partialDownloads());
    o.put("partialCount", s.partialCount());
    o.put("orphans", s.orphans());
    o.put("orphanCount", s.orphanCount());
    o.put("free", s.free());
    o.put("cacheFree", s.cacheFree());
    o.put("pinned", s.pinned());
    o.put("pinnedCount", s.pinnedCount());
    return o;
  }

  static ObjectNode machine(Machine m) {
    ObjectNode o = Json.object();
    o.put("os", m.os());
    o.put("osVersion", m.osVersion());
    o.put("arch", m.arch());
    o.put("cpu", m.cpu());
    o.put("cores", m.cores());
    o.put("memory", m.memoryBytes());
    ArrayNode f = o.putArray("cpuFeatures");
    m.cpuFeatures().forEach(f::add);
    ArrayNode g = o.putArray("gpus");
    m.gpus().forEach(g::add);
    o.put("java", m.java());
    return o;
  }

  static ObjectNode diagnostics(Diagnostics d) {
    ObjectNode root = Json.object();
    root.put("generatedAt", d.generatedAt().toString());
    ObjectNode roots = root.putObject("roots");
    roots.put("data", d.roots().data().toString());
    roots.put("cache", d.roots().cache().toString());
    roots.put("library", d.roots().library().toString());
    roots.put("origin", d.rootsOrigin());
    root.set("models", models(d.models()).get("models"));
    root.set("storage", storage(d.storage()));
    ArrayNode notices = root.putArray("notices");
    d.notices().forEach(notices::add);
    root.set("machine", machine(d.machine()));
    ArrayNode engines = root.putArray("engines");
    for (EngineReport e : d.engines()) {
      ObjectNode o = engines.addObject();
      o.put("id", e.id());
      o.put("version", e.version());
      o.put("description", e.description());
      o.put("native", e.nativeCode());
      ArrayNode caps = o.putArray("capabilities");
      e.capabilities().forEach(caps::add);
      ObjectNode probe = o.putObject("probe");
      for (Map.Entry<String, String> p : e.probe().entrySet()) {
        probe.put(p.getKey(), p.getValue());
      }
    }
    return root;
  }

  static ObjectNode gc(GcReport r) {
    ObjectNode o = Json.object();
    o.put("dryRun", r.dryRun());
    o.put("bytesFreed", r.bytesFreed());
    ArrayNode arr = o.putArray("removed");
    r.removed().forEach(arr::add);
    ArrayNode notices = o.putArray("notices");
    r.notices().forEach(notices::add);
    return o;
  }

  static ObjectNode cacheClear(CacheClearReport r, String cacheRoot, String library) {
    ObjectNode o = Json.object();
    o.put("dryRun", r.dryRun());
    o.put("cacheRoot", cacheRoot);
    o.put("library", library);
    o.put("filesRemoved", r.filesRemoved());
    o.put("bytesFreed", r.bytesFreed());
    o.put("partialDownloads", r.partialDownloads());
    o.put("partialBytes", r.partialBytes());
    ArrayNode s = o.putArray("skipped");
    r.skipped().forEach(s::add);
    return o;
  }

  static ObjectNode error(String message, int exitCode, String type) {
    ObjectNode o = Json.object();
    ObjectNode e = o.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.put("exitCode", exitCode);
    return o;
  }
}
