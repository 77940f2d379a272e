package soko.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
import soko.catalog.SigningKey;
import soko.catalog.TrustedKeys;
import soko.manifest.SourceUri;
import soko.store.ModelCheck;

@Command(name = "catalog", description = "List the models available to install, with size, licence, sources, aliases and installed state.",
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
    if (root.global.json) {
      root.out.print(Reports.catalogJson(catalogs, installed, soko.catalogWarnings()));
      return ExitCode.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (CatalogEntry e : catalogs.models()) {
      var m = e.manifest();
      List<String> aliases = catalogs.aliases().stream().filter(a -> a.alias().candidates().contains(m.name()))
          .map(a -> a.alias().name()).toList();
      List<String> hosts = m.files().stream().flatMap(f -> f.sources().stream())
          .map(s -> s.kind() == SourceUri.Kind.BUNDLED ? "bundled" : s.host()).distinct().toList();
      rows.add(List.of(m.name().value(), m.version().text(), Format.bytes(m.totalSize()), m.license().spdx(),
          String.join(",", hosts), aliases.isEmpty() ? "-" : String.join(",", aliases),
          installed.contains(m.id()) ? "installed" : "-", m.demo() ? "DEMO" : ""));
    }
    root.out.print(Format.table(List.of("NAME", "VERSION", "SIZE", "LICENCE", "SOURCES", "ALIASES", "STATE", ""), rows));
    root.out.println();
    List<List<String>> aliasRows = new ArrayList<>();
    for (AliasEntry a : catalogs.aliases()) {
      aliasRows.add(List.of(a.alias().name(), a.alias().task().toString(),
          String.join(" > ", a.alias().candidates().stream().map(Object::toString).toList())));
    }
    root.out.print(Format.table(List.of("ALIAS", "TASK", "MODELS (first installed wins)"), aliasRows));
    soko.catalogWarnings().forEach(w -> root.err.println("soko: " + Display.safe(w)));
    return ExitCode.OK;
  }

  @Command(name = "add", description = "Add a signed remote catalog: its URL, the catalog id it must carry, and the trusted publisher keys.")
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

  @Command(name = "update", description = "Fetch and verify every configured remote catalog (signature, expiry, rollback).")
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

  @Command(name = "sign", description = "Sign a catalog document with a private key (from `soko keygen`), for publishing.")
  static final class Sign implements Callable<Integer> {
    @ParentCommand
    CatalogCommand parent;

    @Parameters(paramLabel = "CATALOG.json")
    Path catalog;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE.key")
    List<Path> keys;

    @Option(names = "--out", required = true, paramLabel = "SIGNED.json")
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
