package soko.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Reports;
import soko.app.Soko;
import soko.catalog.AliasEntry;
import soko.catalog.CatalogEntry;
import soko.catalog.CatalogPublisher;
import soko.catalog.Catalogs;
import soko.catalog.ModelFacts;
import soko.catalog.Recommendation;
import soko.catalog.SigningKey;
import soko.catalog.TrustedKeys;
import soko.manifest.SourceUri;
import soko.store.ModelCheck;

@Command(name = "catalog", header = "List the models available to install.",
    description = "With their size, licence, sources and aliases, and whether each is installed.",
    subcommands = {CatalogCommand.Add.class, CatalogCommand.Update.class, CatalogCommand.Sign.class})
final class CatalogCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Override
  public Integer call() throws Exception {
    Soko soko = root.soko();
    Catalogs catalogs = soko.catalogs();
    Set<String> installed = new HashSet<>();
    for (ModelCheck c : soko.list()) {
      installed.add(c.model().manifest().id());
    }
    Map<String, Recommendation.Pick> recommended = soko.recommendations();
    if (root.global.json) {
      root.out.print(Reports.catalogJson(catalogs, installed, soko.catalogWarnings(), recommended));
      return ExitCode.OK;
    }
    OptionalInt width = Terminal.tableWidth();
    List<List<String>> rows = new ArrayList<>();
    for (CatalogEntry e : catalogs.models()) {
      var m = e.manifest();
      List<String> recommendedFor = recommended.entrySet().stream()
          .filter(r -> r.getValue().model().filter(p -> p.id().equals(m.id())).isPresent()).map(Map.Entry::getKey).toList();
      List<String> notes = new ArrayList<>();
      if (m.demo()) {
        notes.add("DEMO");
      }
      if (ModelFacts.nonCommercial(m)) {
        notes.add("NON-COMMERCIAL");
      }
      if (!recommendedFor.isEmpty()) {
        notes.add("* recommended: " + String.join(",", recommendedFor));
      }
      List<String> aliases = catalogs.aliases().stream().filter(a -> a.alias().candidates().contains(m.name()))
          .map(a -> a.alias().name()).toList();
      List<String> hosts = m.files().stream().flatMap(f -> f.sources().stream())
          .map(s -> s.kind() == SourceUri.Kind.BUNDLED ? "bundled" : s.host()).distinct().toList();
      rows.add(List.of(m.name().value(), m.version().text(), Format.bytes(m.totalSize()), m.license().spdx(),
          String.join(",", hosts), aliases.isEmpty() ? "-" : String.join(",", aliases),
          installed.contains(m.id()) ? "installed" : "-", String.join(" ", notes)));
    }
    root.out.print(Format.table(List.of("NAME", "VERSION", "SIZE", "LICENCE", "SOURCES", "ALIASES", "STATE", ""), rows,
        width));
    root.out.println();
    List<List<String>> aliasRows = new ArrayList<>();
    for (AliasEntry a : catalogs.aliases()) {
      Recommendation.Pick pick = recommended.get(a.alias().name());
      aliasRows.add(List.of(a.alias().name(), a.alias().task().toString(),
          pick == null ? "-" : pick.model().map(p -> p.name().value()).orElse("-"),
          String.join(" > ", a.alias().candidates().stream().map(Object::toString).toList())));
    }
    root.out.print(Format.table(List.of("ALIAS", "TASK", "PULL INSTALLS", "MODELS (first installed wins when running)"),
        aliasRows, width));
    root.out.println();
    var hw = soko.hardware();
    root.out.print(Format.wrapped("", "Recommended for this computer (" + hw.cores() + (hw.cores() == 1 ? " core, " : " cores, ")
        + Format.bytes(hw.memoryBytes()) + "; `soko pull ALIAS` installs it, --model NAME another candidate):", width));
    for (AliasEntry a : catalogs.aliases()) {
      Recommendation.Pick pick = recommended.get(a.alias().name());
      if (pick != null) {
        root.out.print(Format.wrapped("  ", a.alias().name() + ": " + Display.safe(pick.reason()), width));
      }
    }
    soko.catalogWarnings().forEach(w -> root.err.println("soko: " + Display.safe(w)));
    return ExitCode.OK;
  }

  @Command(name = "add", header = "Add a signed remote catalog.",
      description = "Its URL, the catalog id it must carry and the publisher keys to trust; `soko catalog update` then"
          + " fetches it.")
  static final class Add implements Callable<Integer> {
    @ParentCommand
    CatalogCommand parent;

    @Parameters(paramLabel = "URL", description = "https:, http: or file: URL of the signed catalog.")
    URI url;

    @Option(names = "--id", required = true, description = "The catalog id the publisher uses.")
    String id;

    @Option(names = "--trust", required = true, paramLabel = "KEYS.json", description = "Trusted keys file (from `soko keygen`).")
    Path keys;

    @Override
    public Integer call() throws Exception {
      TrustedKeys trusted = TrustedKeys.parse(Files.readAllBytes(keys), keys.toString());
      parent.root.soko().addCatalog(url, id, trusted);
      parent.root.out.println("added catalog " + id + " from " + url + ", trusting key(s) "
          + String.join(", ", trusted.keyIds()) + "; run `soko catalog update` to fetch it");
      return ExitCode.OK;
    }
  }

  @Command(name = "update", header = "Fetch and verify every remote catalog.",
      description = "Checks each signature and expiry time, and that no catalog goes back to an older version.")
  static final class Update implements Callable<Integer> {
    @ParentCommand
    CatalogCommand parent;

    @Override
    public Integer call() throws Exception {
      boolean failed = false;
      for (Soko.CatalogUpdate u : parent.root.soko().updateCatalogs()) {
        if (u.error().isPresent()) {
          failed = true;
          parent.root.err.println("soko: " + Display.safe(u.error().get()));
        } else {
          parent.root.out.println("catalog " + u.catalogId() + " version " + u.version().getAsLong() + " accepted from " + u.url());
        }
      }
      return failed ? ExitCode.FAILURE : ExitCode.OK;
    }
  }

  @Command(name = "sign", header = "Sign a catalog document for publishing.",
      description = "With one or more private keys made by `soko keygen`.")
  static final class Sign implements Callable<Integer> {
    @ParentCommand
    CatalogCommand parent;

    @Parameters(paramLabel = "CATALOG.json", description = "The catalog document (schemas/catalog-v1.schema.json).")
    Path catalog;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE.key",
        description = "A private key file from `soko keygen` (repeatable).")
    List<Path> keys;

    @Option(names = "--out", required = true, paramLabel = "SIGNED.json", description = "Where to write the signed catalog.")
    Path out;

    @Override
    public Integer call() throws Exception {
      List<SigningKey> signing = new ArrayList<>();
      for (Path k : keys) {
        signing.add(CatalogPublisher.readKey(k));
      }
      byte[] envelope = CatalogPublisher.sign(Files.readAllBytes(catalog), signing, catalog.toString());
      Files.write(out, envelope);
      parent.root.out.println("signed " + catalog + " with key(s) "
          + String.join(", ", signing.stream().map(SigningKey::keyId).toList()) + " into " + out);
      return ExitCode.OK;
    }
  }
}
