package soko.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;
import soko.manifest.Manifest;
import soko.verification.Digest;

/**
 * Pins: the blobs an install in progress needs, in {@code state/pending/<uuid>.json}, so that gc
 * keeps them while the install runs. A pin names its process by PID, start time and host name:
 *
 * <ul>
 *   <li>written on this host: released as soon as that process is gone, or the PID now belongs to a
 *       process with another start time (the PID was reused);
 *   <li>written on another host sharing the store, or by a Soko that did not record its host: its
 *       process cannot be checked from here, so it is released once it is a day old (a pin of this
 *       host without a start time is also kept while its PID runs);
 * </ul>
 *
 * A pin that is a link or not a regular file pins nothing. Thread-safe.
 */
final class Pins {
  /** How old a pin whose process cannot be checked must be before it is released. */
  static final Duration UNCHECKABLE_AFTER = Duration.ofHours(24);

  /**
   * How far two readings of one process's start time may differ: the JDK derives it from the boot
   * time, which Linux gives in whole seconds and moves when the clock is set, and each JVM reads
   * once. A PID reused within this window would need the kernel to cycle through every PID in it.
   */
  private static final Duration SAME_START = Duration.ofSeconds(2);

  private static final int MAX_BYTES = 16 * 1024 * 1024;

  /** One pin as read, with the decision about it. */
  record Pin(Path file, String model, Set<Digest> blobs, Optional<String> releasedBecause) {
    boolean released() {
      return releasedBecause.isPresent();
    }
  }

  private final Layout layout;
  private final Clock clock;
  private volatile String host;

  Pins(Layout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  /** Writes a pin of this process for the blobs of {@code manifest}; returns its file. */
  Path pin(Manifest manifest) throws StoreIOException {
    Path pin = layout.newPin();
    ObjectNode o = Json.object();
    o.put("model", manifest.id());
    ProcessHandle me = ProcessHandle.current();
    o.put("pid", me.pid());
    me.info().startInstant().ifPresent(s -> o.put("started", s.toString()));
    if (!host().isEmpty()) {
      o.put("host", host());
    }
    ArrayNode a = o.putArray("blobs");
    manifest.files().forEach(f -> a.add(f.sha256().hex()));
    try {
      Files2.writeAtomically(pin, Json.write(o));
    } catch (IOException e) {
      throw new StoreIOException("cannot start installing " + manifest.id(), e);
    }
    return pin;
  }

  /** Every pin, each with whether it is released. Reads only; deletes nothing. */
  List<Pin> read() throws IOException {
    List<Pin> out = new ArrayList<>();
    Instant now = clock.instant();
    for (Path file : Files2.listFiles(layout.pending())) {
      if (file.getFileName().toString().startsWith(".")) {
        continue; // a pin being written right now; its install keeps its own blobs meanwhile
      }
      Node n;
      try {
        n = Json.parse(Files2.readRegular(file, MAX_BYTES), MAX_BYTES, "pending install");
      } catch (NoSuchFileException e) {
        continue; // removed by its install right now
      } catch (Files2.NotRegularFileException | Files2.TooLargeException | JsonProblem e) {
        out.add(new Pin(file, "", Set.of(), Optional.of("it is not a pin Soko wrote")));
        continue;
      }
      try {
        Set<Digest> blobs = new HashSet<>();
        for (Node b : n.get("blobs").array(Manifest.MAX_FILES)) {
          blobs.add(b.parse(Digest::ofHex, "64 hex digits"));
        }
        String model = n.has("model") ? n.get("model").text() : "";
        out.add(new Pin(file, model, blobs, releasedBecause(n, Files2.modified(file), now)));
      } catch (JsonProblem e) {
        out.add(new Pin(file, "", Set.of(), Optional.of("it is damaged (" + e.getMessage() + ")")));
      }
    }
    return out;
  }

  /** Why the pin no longer holds, or empty while its install may still be running. */
  private Optional<String> releasedBecause(Node pin, Instant written, Instant now) throws JsonProblem {
    long pid = pin.get("pid").integer(1, Long.MAX_VALUE);
    Optional<String> pinHost = pin.has("host") ? Optional.of(pin.get("host").text()) : Optional.empty();
    boolean old = written.isBefore(now.minus(UNCHECKABLE_AFTER));
    if (pinHost.isEmpty() || host().isEmpty()) {
      // Written by a Soko that did not record its host, or this host's name is unknown: the PID may
      // be another machine's, so only the old rule holds: a day old and no such process here.
      return old && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)
          ? Optional.of("it is a day old and process " + pid + " is gone") : Optional.empty();
    }
    if (!pinHost.get().equals(host())) {
      return old ? Optional.of("it is a day old and was written on " + pinHost.get() + ", where its process cannot be"
          + " checked from here") : Optional.empty();
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return Optional.of("process " + pid + " is gone");
    }
    if (pin.has("started")) {
      Instant started = pin.get("started").instant();
      Optional<Instant> actual = process.get().info().startInstant();
      if (actual.isPresent() && Duration.between(started, actual.get()).abs().compareTo(SAME_START) > 0) {
        return Optional.of("process " + pid + " is gone (the PID now belongs to a process started at " + actual.get()
            + ")");
      }
    }
    return Optional.empty();
  }

  /** The models of the pins that still hold, as {@code name@version} (see {@link Store#held}). */
  Set<String> heldModels() throws StoreIOException {
    try {
      Set<String> out = new TreeSet<>();
      for (Pin p : read()) {
        if (!p.released() && !p.model().isEmpty()) {
          out.add(p.model());
        }
      }
      return out;
    } catch (IOException e) {
      throw new StoreIOException("cannot read " + layout.pending(), e);
    }
  }

  /** The blobs pinned by pins that still hold. */
  static Set<Digest> held(List<Pin> pins) {
    Set<Digest> out = new HashSet<>();
    pins.stream().filter(p -> !p.released()).forEach(p -> out.addAll(p.blobs()));
    return out;
  }

  /**
   * This host's name, to tell this machine's pins from those of another machine sharing the store:
   * the kernel's on Linux (no name lookup), else the JDK's; empty when unknown.
   */
  String host() {
    String h = host;
    if (h == null) {
      h = readHost();
      host = h;
    }
    return h;
  }

  private static String readHost() {
    Path linux = Path.of("/proc/sys/kernel/hostname");
    try {
      if (Files.isRegularFile(linux)) {
        return Files.readString(linux, StandardCharsets.UTF_8).strip();
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}
