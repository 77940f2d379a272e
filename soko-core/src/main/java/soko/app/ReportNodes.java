package soko.app;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import soko.internal.json.Instants;
import soko.internal.json.Json;
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
 * The JSON nodes {@link Reports} builds its documents from: models and their files, storage, the
 * machine, gc and cache reports, errors.
 */
final class ReportNodes {
  private ReportNodes() {}

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
