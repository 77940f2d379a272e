package soko.acquisition.oci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs skopeo (Debian package skopeo, 1.9.3) and returns its stdout; fails on a non-zero exit. */
final class Skopeo {
  private Skopeo() {}

  static Optional<String> unavailableReason() {
    try {
      run(List.of("--version"), Path.of("."));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("skopeo is not usable (apt-get install skopeo): " + e.getMessage());
    }
  }

  static byte[] run(List<String> args, Path workDir) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("skopeo");
    cmd.addAll(args);
    Path err = workDir.resolve("skopeo.err");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + java.nio.file.Files.readString(err).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }
}
