package soko.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import soko.internal.json.Json;
import soko.store.InstalledModel;
import soko.store.Store;
import soko.store.StoreException;

/**
 * The JSON of {@code soko config}, {@code keep}, {@code prune}, {@code outdated}, {@code update} and
 * {@code rollback}, each document on one line. Stateless and thread-safe.
 */
public final class BudgetReports {
  private BudgetReports() {}

  /**
   * {@code soko config list --json}: {@code {"file":…,"settings":{"budget":"20GiB"},"budget":{…}|null}}.
   *
   * @param file the settings file
   * @param settings the values set in it, by key; may be empty
   * @param inForce the budget in force ({@link Soko#budget()}); empty prints {@code null}
   * @return the JSON object on one line, ending with a newline
   */
  public static String configJson(ConfigFile file, Map<ConfigFile.Key, String> settings, Optional<BudgetSetting> inForce) {
    ObjectNode o = Json.object();
    o.put("file", file.file().toString());
    ObjectNode s = o.putObject("settings");
    settings.forEach((k, v) -> s.put(k.id(), v));
    if (inForce.isPresent()) {
      o.set("budget", budget(inForce.get()));
    } else {
      o.putNull("budget");
    }
    return Json.writeLine(o) + "\n";
  }

  /**
   * {@code {"KEY":VALUE|null}}: {@code soko config get} and {@code set}.
   *
   * @param key the setting
   * @param value its value; empty prints {@code null}
   * @return the JSON object on one line, ending with a newline
   */
  public static String settingJson(ConfigFile.Key key, Optional<String> value) {
    ObjectNode o = Json.object();
    if (value.isPresent()) {
      o.put(key.id(), value.get());
    } else {
      o.putNull(key.id());
    }
    return Json.writeLine(o) + "\n";
  }

  /**
   * {@code {"unset":BOOLEAN}}: whether {@code soko config unset} removed a value.
   *
   * @param was true when a value was set and is now removed
   * @return the JSON object on one line, ending with a newline
   */
  public static String unsetJson(boolean was) {
    ObjectNode o = Json.object();
    o.put("unset", was);
    return Json.writeLine(o) + "\n";
  }

  /**
   * {@code {"name","keep"}}: {@code soko keep}.
   *
   * @param name the model's name
   * @param keep true when it is now marked keep
   * @return the JSON object on one line, ending with a newline
   */
  public static String keepJson(String name, boolean keep) {
    ObjectNode o = Json.object();
    o.put("name", name);
    o.put("keep", keep);
    return Json.writeLine(o) + "\n";
  }

  /**
   * {@code {"name","upToDate":true}}: {@code soko update} of a model with nothing newer.
   *
   * @param name the model's name
   * @return the JSON object on one line, ending with a newline
   */
  public static String upToDateJson(String name) {
    ObjectNode o = Json.object();
    o.put("name", name);
    o.put("upToDate", true);
    return Json.writeLine(o) + "\n";
  }

  static ObjectNode budget(BudgetSetting b) {
    ObjectNode o = Json.object();
    o.put("value", b.budget().toString());
    o.put("bytes", b.budget().bytes());
    o.put("origin", b.origin());
    return o;
  }

  static ArrayNode evictions(List<Eviction> evictions) {
    ArrayNode a = Json.array();
    for (Eviction e : evictions) {
      ObjectNode o = a.addObject();
      o.put("name", e.name());
      o.put("version", e.version());
      o.put("previousVersion", e.previousVersion());
      o.put("bytes", e.bytes());
      if (e.lastUsed().isPresent()) {
        o.put("lastUsed", e.lastUsed().get().toString());
      } else {
        o.putNull("lastUsed");
      }
    }
    return a;
  }

  static ArrayNode lines(List<String> lines) {
    ArrayNode a = Json.array();
    lines.forEach(a::add);
    return a;
  }

  /**
   * {@code soko prune --json}: {@code {"dryRun","budget":{value,bytes,origin},"used","freed",
   * "evictions":[{name,version,previousVersion,bytes,lastUsed}],"done":[…]}}.
   *
   * @param p what the prune planned or did
   * @param dryRun true when nothing was evicted
   * @return the JSON object on one line, ending with a newline
   */
  public static String pruneJson(Soko.Prune p, boolean dryRun) {
    ObjectNode o = Json.object();
    o.put("dryRun", dryRun);
    o.set("budget", budget(p.budget()));
    o.put("used", p.used());
    o.put("freed", p.freed());
    o.set("evictions", evictions(p.evictions()));
    o.set("done", lines(p.done()));
    return Json.writeLine(o) + "\n";
  }

  /**
   * {@code soko outdated --json}: {@code {"updates":[{name,installed,available,downloadBytes,
   * license,newLicense,licenseChanged}],"betterPicks":[{alias,installed,recommended,reason}],
   * "catalogs":[{id,url,fetchedAt,ageSeconds}]}} (the last two null for a catalog never fetched).
   *
   * @param r the outdated models and aliases
   * @return the JSON object on one line, ending with a newline
   */
  public static String outdatedJson(Outdated r) {
    ObjectNode o = Json.object();
    ArrayNode u = o.putArray("updates");
    for (Outdated.Update x : r.updates()) {
      ObjectNode e = u.addObject();
      e.put("name", x.name());
      e.put("installed", x.installedVersion());
      e.put("available", x.newVersion());
      e.put("downloadBytes", x.downloadBytes());
      e.put("license", x.installedLicense());
      e.put("newLicense", x.newLicense());
      e.put("licenseChanged", x.licenseChanged());
    }
    ArrayNode b = o.putArray("betterPicks");
    for (Outdated.BetterPick x : r.betterPicks()) {
      ObjectNode e = b.addObject();
      e.put("alias", x.alias());
      e.put("installed", x.installed());
      e.put("recommended", x.recommended());
      e.put("reason", x.reason());
    }
    ArrayNode c = o.putArray("catalogs");
    for (Outdated.CatalogAge x : r.catalogs()) {
      ObjectNode e = c.addObject();
      e.put("id", x.catalogId());
      e.put("url", x.url());
      if (x.fetchedAt().isPresent()) {
        e.put("fetchedAt", x.fetchedAt().get().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      } else {
        e.putNull("fetchedAt");
      }
      if (x.age().isPresent()) {
        e.put("ageSeconds", x.age().get().toSeconds());
      } else {
        e.putNull("ageSeconds");
      }
    }
    return Json.writeLine(o) + "\n";
  }

  /**
   * The page's {@code GET /api/budget}: {@code {"budget":{value,bytes,origin}|null,"used":BYTES,
   * "models":{"NAME":{"lastUsed":TIME|null,"kept":BOOL,"previous":VERSION|null}},
   * "updates":{"NAME":{installed,available,downloadBytes,license,newLicense,licenseChanged}},
   * "warnings":[…]}}. A catalog that cannot be read leaves {@code updates} empty and says why in
   * {@code warnings}, as does a budget setting that is not a size.
   *
   * @param soko the Soko whose store and catalogs are read (hashes nothing, sends nothing)
   * @return the JSON object on one line, ending with a newline
   * @throws StoreException when the store cannot be read
   */
  public static String budgetJson(Soko soko) throws StoreException {
    ObjectNode o = Json.object();
    List<String> warnings = new java.util.ArrayList<>();
    Optional<BudgetSetting> b = Optional.empty();
    try {
      b = soko.budget();
    } catch (InvalidSettingException e) {
      warnings.add(e.getMessage());
    }
    if (b.isPresent()) {
      o.set("budget", budget(b.get()));
    } else {
      o.putNull("budget");
    }
    Store store = soko.store();
    o.put("used", Evictions.used(store));
    ObjectNode models = o.putObject("models");
    for (InstalledModel m : store.installed()) {
      ObjectNode e = models.putObject(m.manifest().name().value());
      Optional<java.time.Instant> used = store.lastUsed(m.manifest().name());
      if (used.isPresent()) {
        e.put("lastUsed", used.get().toString());
      } else {
        e.putNull("lastUsed");
      }
      e.put("kept", store.kept(m.manifest().name()));
      Optional<InstalledModel> p = store.previous(m.manifest().name());
      if (p.isPresent()) {
        e.put("previous", p.get().manifest().version().text());
      } else {
        e.putNull("previous");
      }
    }
    ObjectNode updates = o.putObject("updates");
    try {
      for (Outdated.Update x : soko.outdated().updates()) {
        ObjectNode e = updates.putObject(x.name());
        e.put("installed", x.installedVersion());
        e.put("available", x.newVersion());
        e.put("downloadBytes", x.downloadBytes());
        e.put("license", x.installedLicense());
        e.put("newLicense", x.newLicense());
        e.put("licenseChanged", x.licenseChanged());
      }
    } catch (soko.catalog.CatalogException e) {
      warnings.add(e.getMessage());
    }
    o.set("warnings", lines(warnings));
    return Json.writeLine(o) + "\n";
  }

  /**
   * {@code soko rollback --json}: {@code {"name","version","previous":VERSION|null}}.
   *
   * @param soko the Soko whose store is read
   * @param now the model as installed after the rollback
   * @return the JSON object on one line, ending with a newline
   * @throws StoreException when the store cannot be read
   */
  public static String rollbackJson(Soko soko, InstalledModel now) throws StoreException {
    Store store = soko.store();
    ObjectNode o = Json.object();
    o.put("name", now.manifest().name().value());
    o.put("version", now.manifest().version().text());
    Optional<InstalledModel> p = store.previous(now.manifest().name());
    if (p.isPresent()) {
      o.put("previous", p.get().manifest().version().text());
    } else {
      o.putNull("previous");
    }
    return Json.writeLine(o) + "\n";
  }
}
