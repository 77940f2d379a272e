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
import soko.manifest.Manifest;
import soko.store.FileCheck;

/**
 * The catalog ({@code soko catalog --json}), one model ({@code soko show --json}) and a pull's
 * recommendation as JSON, for {@link Reports}.
 */
final class CatalogJson {
  private CatalogJson() {}

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
   * {@link Reports#catalogJson(Catalogs, java.util.Set, List)} with the recommendation for this computer:
   * per alias {@code "recommended":{"model":NAME|null,"version":…,"reason":…}}, and per model
   * {@code "recommendedFor":[{"alias","reason"}]} (empty when it is recommended for nothing) and
   * {@code "nonCommercial"}.
   *
   * @param recommended the pick for each alias, by alias name ({@link Soko#recommendations})
   */
  static String catalog(Catalogs catalogs, java.util.Set<String> installed, List<String> warnings,
      Map<String, Recommendation.Pick> recommended) {
    ObjectNode root = Json.object();
    ArrayNode models = root.putArray("models");
    for (CatalogEntry e : catalogs.models()) {
      Manifest m = e.manifest();
      ObjectNode o = models.addObject();
      o.put("name", m.name().value());
      o.put("version", m.version().text());
      o.put("description", m.description());
      o.set("tasks", ReportNodes.tasks(m.tasks()));
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
    return Reports.json(root);
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
  static String show(ModelDescription d) {
    Manifest m = d.manifest();
    ObjectNode o = Json.object();
    o.put("asked", d.asked());
    o.put("name", m.name().value());
    o.put("version", m.version().text());
    o.put("description", m.description());
    o.set("tasks", ReportNodes.tasks(m.tasks()));
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
    return Reports.json(o);
  }
}
