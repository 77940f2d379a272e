package soko.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.app.Registries;
import soko.events.ProgressListener;
import soko.events.TransferEvent;

@Command(name = "push", header = "Publish an installed model to an OCI registry as a ModelPack artifact.",
    description = {
    "Blobs the registry has are skipped, large ones go in chunks that a later push continues, and the manifest goes last.",
    "Prints the manifest digest; pull it elsewhere with `soko pull oci://REGISTRY/REPO@DIGEST`.",
    "Credentials: SOKO_REGISTRY_USER + SOKO_REGISTRY_PASSWORD for the one registry named in SOKO_REGISTRY,"
        + " --authfile (or REGISTRY_AUTH_FILE), then podman's, skopeo's and docker's logins."})
final class PushCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(index = "0", paramLabel = "NAME", description = "An installed model.")
  String name;

  @Parameters(index = "1", paramLabel = "oci://REGISTRY/REPO:TAG", description = "Where to push it.")
  String reference;

  @Option(names = "--mount-from", paramLabel = "REPO",
      description = "Another repository of the same registry that may hold the blobs (repeatable).")
  List<String> mountFrom = new ArrayList<>();

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  /** The registry flags {@code push} and {@code pull oci://} share. */
  static final class RegistryOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST:PORT",
        description = "Talk plain http to this registry (repeatable; env SOKO_INSECURE_REGISTRIES).")
    List<String> insecure = new ArrayList<>();

    @Option(names = "--authfile", paramLabel = "FILE",
        description = "Credentials in docker config.json or podman auth.json format (env REGISTRY_AUTH_FILE).")
    Path authFile;

    Registries open(SokoCommand root) throws Exception {
      return Registries.open(root.soko(), System.getenv(), System.getProperties(), insecure, Optional.ofNullable(authFile));
    }
  }

  @Override
  public Integer call() throws Exception {
    Registries registries = registry.open(root);
    ProgressListener listener = root.global.json ? ProgressListener.NONE : this::show;
    Registries.PushResult r = registries.push(name, reference, mountFrom, listener);
    if (root.global.json) {
      root.out.print(r.toJson());
    } else {
      root.err.println("pushed " + r.model() + " to " + r.reference() + " (" + r.blobsUploaded() + " file(s) uploaded, "
          + r.blobsSkipped() + " already there, " + Format.bytes(r.bytesUploaded()) + " sent); install it elsewhere with:");
      root.err.println("  soko pull " + r.pinned());
      root.out.println(r.digest());
    }
    root.err.flush();
    return ExitCode.OK;
  }

  private void show(TransferEvent e) {
    if (e instanceof TransferEvent.Done d) {
      root.err.println("  " + Display.safe(d.file()) + ": " + (d.bytesTransferred() > 0 ? "uploaded " + Format.bytes(d.bytesTransferred())
          : "already in the registry"));
    } else if (e instanceof TransferEvent.Retrying r) {
      root.err.println("  " + Display.safe(r.file()) + ": " + Display.safe(r.reason()));
    }
  }
}
