package soko.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.verification.Hashing;

/**
 * A second process on the same store, which a test kills with SIGKILL at a chosen point:
 *
 * <ul>
 *   <li>{@code pin HOME MANIFEST READY}: starts installing the manifest (its blobs pinned), writes
 *       them, creates READY and waits to be killed;
 *   <li>{@code rm HOME NAME STEP READY}: removes the model, creating READY and waiting to be killed
 *       as soon as the removal reaches STEP;
 *   <li>{@code update HOME MANIFEST STEP READY}: installs the manifest as an update (the version it
 *       replaces kept), waiting to be killed at STEP; {@code rollback HOME NAME STEP READY} rolls back;
 *   <li>{@code hold HOME NAME READY}: holds the installed model (as an engine that opened it does),
 *       creates READY and waits to be killed;
 *   <li>{@code list-loop HOME READY}: lists the models over and over, each time rewriting
 *       {@code state/installed.index}, and creates READY after the first write (the test kills it
 *       in a later one); {@code list-n HOME N COUNT}: lists N times, rewriting the index each time,
 *       and exits 5 when a listing does not find COUNT models.
 * </ul>
 */
public final class StoreChild {
  private StoreChild() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    switch (args[0]) {
      case "pin" -> {
        Store store = Store.open(roots(home), Clock.systemUTC());
        Manifest m = ManifestCodec.parse(Files.readAllBytes(Path.of(args[2])), args[2]);
        Store.Install tx = store.beginInstall(m);
        for (ModelFile f : m.files()) {
          try (InputStream in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
            store.putBlob(f, in, "test");
          }
        }
        ready(Path.of(args[3]));
        tx.close(); // not reached
      }
      case "rm" -> {
        String step = args[3];
        Path ready = Path.of(args[4]);
        Store store = Store.open(roots(home), Clock.systemUTC(), s -> {
          if (s.equals(step)) {
            ready(ready);
          }
        }, Hashing::sha256);
        store.remove(ModelName.parse(args[2]));
        System.out.println("step " + step + " never reached");
        System.exit(3);
      }
      case "update", "rollback" -> {
        String step = args[3];
        Path ready = Path.of(args[4]);
        Store store = Store.open(roots(home), Clock.systemUTC(), s -> {
          if (s.equals(step)) {
            ready(ready);
          }
        }, Hashing::sha256);
        if (args[0].equals("update")) {
          Manifest m = ManifestCodec.parse(Files.readAllBytes(Path.of(args[2])), args[2]);
          try (Store.Install tx = store.beginInstall(m)) {
            for (ModelFile f : tx.missingFiles()) {
              try (InputStream in = Files.newInputStream(Path.of(f.sources().getFirst().uri()))) {
                store.putBlob(f, in, "test");
              }
            }
            tx.commit("test", true);
          }
        } else {
          store.rollback(ModelName.parse(args[2]));
        }
        System.out.println("step " + step + " never reached");
        System.exit(3);
      }
      case "hold" -> {
        Store store = Store.open(roots(home), Clock.systemUTC());
        Store.Hold hold = store.hold(store.require(ModelName.parse(args[2])).manifest());
        ready(Path.of(args[3]));
        hold.close(); // not reached
      }
      case "list-loop" -> {
        // Rewrites state/installed.index over and over (deleting it first, so every listing
        // writes it); READY once the first write is done, so the kill lands in a later one.
        Store store = Store.open(roots(home), Clock.systemUTC());
        Path index = new Layout(roots(home)).installedIndex();
        Path ready = Path.of(args[2]);
        while (true) {
          Files.deleteIfExists(index);
          store.installed();
          if (!Files.exists(ready)) {
            Files.createFile(ready);
          }
        }
      }
      case "list-n" -> {
        // A second writer: lists N times, each time after deleting the index, from a new Store.
        Path index = new Layout(roots(home)).installedIndex();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          Files.deleteIfExists(index);
          int n = Store.open(roots(home), Clock.systemUTC()).installed().size();
          if (n != Integer.parseInt(args[3])) {
            System.out.println("listed " + n + " models");
            System.exit(5);
          }
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static StoreRoots roots(Path home) {
    return new StoreRoots(home.resolve("data"), home.resolve("cache"), home.resolve("library"));
  }

  /** Announces the point and waits to be killed. */
  private static void ready(Path file) {
    try {
      Files.createFile(file);
      Thread.sleep(TimeUnit.MINUTES.toMillis(10));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    System.exit(4); // never killed: the test gave up
  }

  /**
   * Starts a child with {@code args}, waits until it creates {@code ready}, and kills it with
   * SIGKILL (no shutdown hook, no finally block runs).
   */
  static void startAndKill(Path log, Path ready, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        StoreChild.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(ready)) {
      if (!p.isAlive()) {
        throw new AssertionError("the child ended (" + p.exitValue() + ") before its point: " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("the child never reached its point: " + Files.readString(log));
      }
      Thread.sleep(20);
    }
    p.destroyForcibly(); // SIGKILL on Unix
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the killed child did not end");
    }
  }
}
