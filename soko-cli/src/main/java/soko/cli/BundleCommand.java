package soko.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Bundles;
import soko.app.Consent;
import soko.bundle.BundleReader;

@Command(name = "bundle", header = "Carry models to offline machines in one file.",
    description = {"A bundle is an OCI image layout in a tar: each model a ModelPack artifact, as `soko push` publishes it,",
        "with the signed catalogs that vouch for them. skopeo can copy it to a registry (oci-archive:FILE:NAME-VERSION)."},
    subcommands = {BundleCommand.Export.class, BundleCommand.Import.class})
final class BundleCommand implements Runnable {
  @ParentCommand
  SokoCommand root;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(root.out);
  }

  @Command(name = "export", header = "Write installed models to a bundle file.",
      description = {"Each model is verified first. The file is written beside its final name and renamed when complete,",
          "and the same models always give the same bytes."})
  static final class Export implements Callable<Integer> {
    @ParentCommand
    BundleCommand parent;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Installed models to carry.")
    List<String> names = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.tar", description = "The bundle to write.")
    Path output;

    @Option(names = "--force", description = "Replace FILE.tar if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      SokoCommand root = parent.root;
      Bundles.ExportResult r = new Bundles(root.soko()).export(names, output, force);
      if (root.global.json) {
        root.out.print(r.toJson());
      } else {
        for (var m : r.models()) {
          root.err.println("  " + Display.safe(m.id()) + " " + m.manifestDigest());
        }
        root.err.println("wrote " + r.models().size() + " model(s)" + (r.catalogs().isEmpty() ? ""
            : " and the signed catalog(s) " + Display.safe(String.join(", ", r.catalogs()))) + " to " + Display.safe(
                r.file().toString()) + " (" + Format.bytes(r.bytes()) + "); on the other machine run:");
        root.err.println("  soko bundle import " + Display.safe(r.file().getFileName().toString()));
        root.out.println(r.file());
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "import", header = "Install the models of a bundle file, without the network.",
      description = {"Every blob's sha256 is checked while the file streams by; links, absolute or .. paths, duplicate",
          "entries and blobs no manifest names are refused. A model installs only if a catalog this machine trusts",
          "(built-in, configured, or carried in the bundle and signed by a configured key) lists it with the same",
          "content; --trust-unsigned installs the others too, marked unsigned. Interrupted? Run it again: what is",
          "already verified is not written twice."})
  static final class Import implements Callable<Integer> {
    @ParentCommand
    BundleCommand parent;

    @Parameters(index = "0", paramLabel = "FILE.tar", description = "A bundle written by `soko bundle export`.")
    Path file;

    @Option(names = "--trust-unsigned",
        description = "Also install models that NO trusted catalog vouches for (their origin says unsigned).")
    boolean trustUnsigned;

    @Option(names = "--accept-license", paramLabel = "SPDX-ID",
        description = "Accept a non-commercial licence by name (repeatable).")
    List<String> licenses = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      SokoCommand root = parent.root;
      if (trustUnsigned) {
        root.err.println("soko: WARNING: --trust-unsigned: models of " + Display.safe(file.toString())
            + " that no trusted catalog vouches for will be installed UNSIGNED; their files match the bundle's sha256s,"
            + " but nobody you trust said those are the right ones");
        root.err.flush();
      }
      BundleReader.Listener listener = root.global.json
          ? (entry, read, total, staged) -> {
            root.out.println("{\"event\":\"blob\",\"entry\":\"" + entry + "\",\"read\":" + read + ",\"total\":" + total
                + ",\"written\":" + staged + "}");
            root.out.flush();
          }
          : (entry, read, total, staged) -> {
            if (staged) {
              root.err.println("  " + entry.substring(entry.lastIndexOf('/') + 1, Math.min(entry.length(),
                  entry.lastIndexOf('/') + 13)) + "…: verified (" + Format.bytes(read) + " of " + Format.bytes(total) + ")");
              root.err.flush();
            }
          };
      Consent consent = Consent.REFUSE.acceptingLicenses(Set.copyOf(licenses));
      Bundles.ImportResult r = new Bundles(root.soko()).importBundle(file, trustUnsigned, consent, listener);
      if (root.global.json) {
        root.out.print(r.toJson());
      } else {
        r.notes().forEach(n -> root.err.println("  " + Display.safe(n)));
        for (Bundles.ImportedModel m : r.models()) {
          root.out.println((m.alreadyInstalled() ? "already installed " : "installed ") + Display.safe(m.model())
              + (m.signed() ? " (vouched for by catalog " + Display.safe(m.vouchedBy().orElse("?")) + ")"
                  : " UNSIGNED (--trust-unsigned)"));
        }
        root.err.println(r.blobsWritten() + " file(s) written (" + Format.bytes(r.bytesWritten()) + "), " + r.blobsSkipped()
            + " already in the store");
      }
      return ExitCode.OK;
    }
  }
}
